package org.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The branch-free dropout mask is exactly the nextFloat loop it replaces: values and generator state. */
class RngTest {

    @ParameterizedTest(name = "keep={0}")
    @ValueSource(floats = {0.5f, 0.75f, 0.7f, 0.8f, 0.9f, 0.3333333f, 0.999f, 1f, 0x1.0p-24f, 0.1f})
    void dropoutMaskEqualsTheNextFloatLoop(float keep) {
        float scale = 1f / keep;
        for (long seed : new long[] {0, 1, 42, -7}) {
            Rng a = new Rng(seed), b = new Rng(seed);
            int n = 10_000, off = 3;
            float[] want = new float[n + 5], got = new float[n + 5];
            for (int i = 0; i < n; i++) want[off + i] = a.nextFloat() < keep ? scale : 0f;
            b.dropoutMask(got, off, n, keep, scale);
            assertArrayEquals(want, got, "seed " + seed);
            assertEquals(a.state(), b.state(), "state after, seed " + seed);
        }
    }

    @ParameterizedTest(name = "keep={0}")
    @ValueSource(floats = {0.7f, 0.1f, 0.5f, 0.3333333f, 0.999f, 1f, 0x1.0p-24f, 0.123456f, 0.9999999f})
    void theKeepThresholdIsExactAroundTheBoundary(float keep) {
        // 0.7f · 2²⁴ is exactly 11744051 (r = 11744051 is dropped); 0.1f · 2²⁴ = 1677721.625 has a fraction. Either
        // way the r just below the threshold is kept and the threshold itself is not, as nextFloat() < keep says.
        long t = Rng.keepThreshold(keep);
        for (long r = Math.max(0, t - 2); r <= Math.min((1L << 24) - 1, t + 2); r++) {
            assertEquals(r * 0x1.0p-24f < keep, r < t, "r = " + r + ", threshold " + t);
        }
        assertEquals(11_744_051L, Rng.keepThreshold(0.7f));
        assertEquals(1_677_722L, Rng.keepThreshold(0.1f));
    }

    @ParameterizedTest(name = "keep={0}")
    @ValueSource(floats = {0f, -0.5f, 1.5f, Float.NaN})
    void refusesKeepOutsideTheUnitInterval(float keep) {
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).dropoutMask(new float[4], 0, 4, keep, 1f));
    }
}
