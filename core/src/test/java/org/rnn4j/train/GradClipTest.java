package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.nn.Parameters;

/** clip_grad_norm_ and clip_grad_value_ against PyTorch fixtures. */
class GradClipTest {

    static Parameters withFixtureGrads(Fixture f) {
        Parameters.Builder b = Parameters.builder();
        for (String name : f.strings("names")) b.add(name, f.ints("shape." + name));
        Parameters p = b.build();
        for (String name : f.strings("names")) {
            Parameters.Param v = p.get(name);
            System.arraycopy(f.floats("grad." + name), 0, p.grads(), v.offset(), v.size());
        }
        return p;
    }

    @Test
    void clipNormMatchesPyTorch() {
        Fixture f = Fixture.load("clip");
        for (String tag : new String[] {"norm_small", "norm_large"}) {
            Parameters p = withFixtureGrads(f);
            double norm = GradClip.clipNorm(p, f.num(tag + ".max_norm"));
            // We accumulate in double; torch's float32 norm differs in the 8th digit.
            assertEquals(f.num(tag + ".total_norm64"), norm, 1e-12 * norm, tag + " norm (float64)");
            assertEquals(f.num(tag + ".total_norm"), norm, 1e-6 * norm, tag + " norm (torch float32)");
            for (String name : f.strings("names")) {
                Fixture.assertClose(tag + " " + name, f.floats(tag + ".after." + name), p.grad(name).data(), 1e-6,
                        1e-8);
            }
        }
    }

    @Test
    void clipNormLeavesNonFiniteGradientsAloneAndReportsTheNorm() {
        Parameters.Builder b = Parameters.builder();
        b.add("w", 3);
        Parameters p = b.build();
        p.grads()[0] = 1f;
        p.grads()[1] = Float.NaN;
        p.grads()[2] = 2f;
        assertTrue(Double.isNaN(GradClip.clipNorm(p, 1.0)));
        assertEquals(1f, p.grads()[0]);
        assertEquals(2f, p.grads()[2]);
        p.grads()[1] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipNorm(p, 1.0));
        assertEquals(1f, p.grads()[0]);
    }

    @Test
    void clipValueMatchesPyTorch() {
        Fixture f = Fixture.load("clip");
        Parameters p = withFixtureGrads(f);
        GradClip.clipValue(p, f.num("value.clip_value"));
        for (String name : f.strings("names")) {
            assertArrayEquals(f.floats("value.after." + name), p.grad(name).data(), "clip_value " + name);
        }
    }

    @Test
    void rejectsNonPositiveLimits() {
        Parameters.Builder b = Parameters.builder();
        b.add("w", 2);
        Parameters p = b.build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(p, 0));
        assertTrue(e.getMessage().contains("maxNorm") && e.getMessage().contains("0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipValue(p, Double.NaN));
        assertTrue(e.getMessage().contains("clipValue"), e.getMessage());
    }
}
