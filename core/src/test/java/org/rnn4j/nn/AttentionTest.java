package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.tensor.Rng;

/**
 * Attention alone: weights sum to 1 over valid positions and are exactly 0 on padding, and the
 * gradients w.r.t. queries, memory and parameters match double-precision central differences of
 * L = Σ_t Σ_b g_tb · context_tb (g random).
 */
class AttentionTest {
    static final int B = 3, S = 4, Q = 5, E = 5, A = 6, T = 3;
    static final int[] LENGTHS = {4, 1, 3};

    @ParameterizedTest
    @EnumSource(Attention.Score.class)
    void weightsAreMaskedAndGradientsMatchFiniteDifferences(Attention.Score score) {
        Parameters.Builder b = Parameters.builder();
        Attention att = new Attention(score, Q, E, A, b, "attention.");
        Parameters p = b.build();
        Rng rng = new Rng(3);
        att.initializeUniform(p, 0.7f, rng);
        float[] mem = gaussian(rng, B * S * E), q = gaussian(rng, T * B * Q), g = gaussian(rng, T * B * E);
        for (int r = 0; r < B; r++) {
            for (int s = LENGTHS[r]; s < S; s++) java.util.Arrays.fill(mem, (r * S + s) * E, (r * S + s + 1) * E, 1e3f); // garbage in padding
        }
        Attention.Workspace ws = att.workspace(B, S + 1, T);
        double loss = forward(att, p, ws, mem, q, g);
        for (int t = 0; t < T; t++) {
            for (int r = 0; r < B; r++) {
                double sum = 0;
                for (int s = 0; s < S; s++) {
                    float w = ws.alpha()[ws.alphaOffset(t) + r * S + s];
                    if (s >= LENGTHS[r]) assertEquals(0f, w, "weight on padded position " + s);
                    sum += w;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        // backward
        p.zeroGrad();
        float[] dq = new float[T * B * Q];
        for (int t = T - 1; t >= 0; t--) att.backwardStep(p, ws, t, q, t * B * Q, g, t * B * E, E, dq, t * B * Q);
        att.finishBackward(p, ws);
        float[] dmem = ws.dMemory().clone();
        float[] dparams = p.grads().clone();
        double eps = 1e-2;
        for (int i = 0; i < q.length; i++) {
            float old = q[i];
            q[i] = old + (float) eps;
            double up = forward(att, p, ws, mem, q, g);
            q[i] = old - (float) eps;
            double down = forward(att, p, ws, mem, q, g);
            q[i] = old;
            assertEquals((up - down) / (2 * eps), dq[i], 2e-3 + 2e-2 * Math.abs(dq[i]), "dq[" + i + "]");
        }
        for (int i = 0; i < mem.length; i++) {
            int r = i / (S * E), s = (i / E) % S;
            if (s >= LENGTHS[r]) {
                assertEquals(0f, dmem[i], "no gradient into padding");
                continue;
            }
            float old = mem[i];
            mem[i] = old + (float) eps;
            double up = forward(att, p, ws, mem, q, g);
            mem[i] = old - (float) eps;
            double down = forward(att, p, ws, mem, q, g);
            mem[i] = old;
            assertEquals((up - down) / (2 * eps), dmem[i], 2e-3 + 2e-2 * Math.abs(dmem[i]), "dmemory[" + i + "]");
        }
        float[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + (float) eps;
            double up = forward(att, p, ws, mem, q, g);
            v[i] = old - (float) eps;
            double down = forward(att, p, ws, mem, q, g);
            v[i] = old;
            assertEquals((up - down) / (2 * eps), dparams[i], 2e-3 + 2e-2 * Math.abs(dparams[i]), "dparam[" + i + "]");
        }
        assertEquals(score == Attention.Score.DOT ? 0 : score == Attention.Score.GENERAL ? Q * E : A * Q + A * E + A + A, p.size());
        assertEquals(loss, forward(att, p, ws, mem, q, g), 0);
    }

    @ParameterizedTest
    @EnumSource(Attention.Score.class)
    void badArgumentsAreRejected(Attention.Score score) {
        Parameters.Builder b = Parameters.builder();
        Attention att = new Attention(score, Q, E, A, b, "a.");
        Parameters p = b.build();
        Attention.Workspace ws = att.workspace(2, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> att.prepare(p, ws, new float[2 * 3 * E], 0, 2, 3, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> att.prepare(p, ws, new float[2 * 4 * E], 0, 2, 4, new int[] {1, 3}));
        if (score == Attention.Score.DOT) {
            assertThrows(IllegalArgumentException.class, () -> new Attention(score, 4, 5, 0, Parameters.builder(), "x."));
        }
    }

    private static double forward(Attention att, Parameters p, Attention.Workspace ws, float[] mem, float[] q, float[] g) {
        att.prepare(p, ws, mem, 0, B, S, LENGTHS);
        float[] ctx = new float[B * E];
        double loss = 0;
        for (int t = 0; t < T; t++) {
            att.forwardStep(p, ws, t, q, t * B * Q, ctx, 0, E);
            for (int i = 0; i < B * E; i++) loss += (double) g[t * B * E + i] * ctx[i];
        }
        return loss;
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
