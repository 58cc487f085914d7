package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Rng;

class SamplerTest {
    // softmax of these (temperature 1): ≈ [0.0117, 0.0317, 0.0861, 0.2341, 0.6364]
    static final float[] LOGITS = {0, 1, 2, 3, 4};

    static double[] softmax(float[] l, double temp) {
        double[] p = new double[l.length];
        double s = 0;
        for (int i = 0; i < l.length; i++) s += p[i] = Math.exp(l[i] / temp);
        for (int i = 0; i < l.length; i++) p[i] /= s;
        return p;
    }

    @Test
    void plainAndTemperature() {
        double[] p = new Sampler(SamplingConfig.plain(), 5).distribution(LOGITS, -1);
        double[] e = softmax(LOGITS, 1);
        for (int i = 0; i < 5; i++) assertEquals(e[i], p[i], 1e-12);
        p = new Sampler(SamplingConfig.of(0.5), 5).distribution(LOGITS, -1);
        e = softmax(LOGITS, 0.5);
        for (int i = 0; i < 5; i++) assertEquals(e[i], p[i], 1e-12);
        p = new Sampler(SamplingConfig.of(0), 5).distribution(LOGITS, 4);
        assertEquals(1.0, p[3], 0.0, "greedy takes the best token that is not banned");
    }

    @Test
    void topKKeepsExactlyTheKLargest() {
        float[] logits = {3, 1, 4, 1, 5, 9, 2, 6};
        double[] p = new Sampler(new SamplingConfig(1, 3, 1), 8).distribution(logits, -1);
        double z = Math.exp(5) + Math.exp(9) + Math.exp(6);
        for (int i = 0; i < 8; i++) {
            double expected = i == 4 || i == 5 || i == 7 ? Math.exp(logits[i]) / z : 0;
            assertEquals(expected, p[i], 1e-12, "token " + i);
        }
        // ties at the cut: the lower id stays
        p = new Sampler(new SamplingConfig(1, 2, 1), 4).distribution(new float[] {1, 2, 1, 2}, -1);
        assertEquals(0.5, p[1], 1e-12);
        assertEquals(0.5, p[3], 1e-12);
    }

    @Test
    void topPKeepsTheShortestPrefixReachingP() {
        double[] e = softmax(LOGITS, 1); // sorted: 4 (0.636), 3 (0.234), 2 (0.086), ...
        double[] p = new Sampler(new SamplingConfig(1, 0, 0.8), 5).distribution(LOGITS, -1);
        double z = e[4] + e[3];
        assertEquals(e[4] / z, p[4], 1e-12);
        assertEquals(e[3] / z, p[3], 1e-12);
        assertEquals(0, p[2] + p[1] + p[0], 0);
        p = new Sampler(new SamplingConfig(1, 0, 0.5), 5).distribution(LOGITS, -1);
        assertEquals(1, p[4], 1e-12, "the top token alone already covers 0.5");
        p = new Sampler(new SamplingConfig(1, 0, 0.9), 5).distribution(LOGITS, -1); // 0.870 < 0.9 -> three tokens
        assertTrue(p[2] > 0 && p[1] == 0, "third token needed to pass 0.9");
        // top-k first, then top-p among the kept: 0.636 / (0.636 + 0.234) = 0.731
        p = new Sampler(new SamplingConfig(1, 2, 0.7), 5).distribution(LOGITS, -1);
        assertEquals(1, p[4], 1e-12, "0.731 >= 0.7: the top token alone");
        p = new Sampler(new SamplingConfig(1, 2, 0.75), 5).distribution(LOGITS, -1);
        assertEquals(e[3] / (e[4] + e[3]), p[3], 1e-12, "0.731 < 0.75: both kept tokens");
    }

    @Test
    void drawsFollowTheDistributionAndNeverTheBannedToken() {
        Sampler s = new Sampler(SamplingConfig.plain(), 5);
        Rng rng = new Rng(123);
        int n = 200_000;
        int[] counts = new int[5];
        for (int i = 0; i < n; i++) counts[s.sample(LOGITS, 0, rng)]++;
        assertEquals(0, counts[0]);
        double[] e = softmax(new float[] {Float.NEGATIVE_INFINITY, 1, 2, 3, 4}, 1);
        for (int i = 1; i < 5; i++) {
            double sd = Math.sqrt(n * e[i] * (1 - e[i]));
            assertEquals(n * e[i], counts[i], 5 * sd, "token " + i);
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, 0, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new Sampler(SamplingConfig.plain(), 2).distribution(new float[] {Float.NaN, Float.NaN}, -1));
    }
}
