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

    @ParameterizedTest(name = "r={0}")
    @ValueSource(longs = {0, 1, 11_744_050, 11_744_051, 11_744_052, 16_777_215})
    void theThresholdIsExactAtTheBoundary(long r) {
        // keep = 0.7f is 11744051.2 / 2^24: r = 11744051 is kept, 11744052 is not
        float keep = 0.7f;
        boolean kept = r * 0x1.0p-24f < keep;
        long threshold = (long) Math.ceil((double) keep * 0x1.0p24);
        assertEquals(kept, r < threshold);
    }

    @ParameterizedTest(name = "keep={0}")
    @ValueSource(floats = {0f, -0.5f, 1.5f, Float.NaN})
    void refusesKeepOutsideTheUnitInterval(float keep) {
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).dropoutMask(new float[4], 0, 4, keep, 1f));
    }
}
