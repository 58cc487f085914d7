package org.rnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Measures the vector sigmoid and tanh against double precision and holds them to the bounds
 * documented in {@link Activations}: a dense sweep of [−30, 30] (step 1e-4, 600 001 points, every
 * lane position and the masked tail exercised), and the extremes.
 */
class ActivationsTest {

    @Test
    void errorsAgainstDoublePrecisionStayWithinTheDocumentedBounds() {
        int n = 600_001;
        float[] x = new float[n + 6];
        for (int i = 0; i < n; i++) x[i] = (float) (-30 + i * 1e-4);
        float[] extremes = {-88f, 88f, -Float.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE};
        System.arraycopy(extremes, 0, x, n, extremes.length);
        float[] s = new float[x.length], t = new float[x.length];
        Activations.sigmoid(x, 0, s, 0, x.length);
        Activations.tanh(x, 0, t, 0, x.length);
        double sAbs = 0, sRel = 0, tAbs = 0, tRel = 0;
        for (int i = 0; i < x.length; i++) {
            double es = 1 / (1 + Math.exp(-(double) x[i])), et = Math.tanh(x[i]);
            double ds = Math.abs(s[i] - es), dt = Math.abs(t[i] - et);
            sAbs = Math.max(sAbs, ds);
            tAbs = Math.max(tAbs, dt);
            if (es > Float.MIN_NORMAL) sRel = Math.max(sRel, ds / es);
            if (Math.abs(et) > Float.MIN_NORMAL) tRel = Math.max(tRel, dt / Math.abs(et));
        }
        System.out.printf("sigmoid: max abs %.3g, max rel %.3g; tanh: max abs %.3g, max rel %.3g%n", sAbs, sRel, tAbs, tRel);
        assertTrue(sAbs <= 1.2e-7, "sigmoid absolute error " + sAbs);
        assertTrue(sRel <= 2.5e-7, "sigmoid relative error " + sRel);
        assertTrue(tAbs <= 1.2e-7, "tanh absolute error " + tAbs);
        assertTrue(tRel <= 2.5e-7, "tanh relative error " + tRel);
    }

    @Test
    void saturatesExactlyAndKeepsNaN() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 0f};
        float[] s = new float[4], t = new float[4];
        Activations.sigmoid(x, 0, s, 0, 4);
        Activations.tanh(x, 0, t, 0, 4);
        assertEquals(0f, s[0]);
        assertEquals(1f, s[1]);
        assertTrue(Float.isNaN(s[2]));
        assertEquals(0.5f, s[3]);
        assertEquals(-1f, t[0]);
        assertEquals(1f, t[1]);
        assertTrue(Float.isNaN(t[2]));
        assertEquals(0f, t[3]);
    }
}
