package org.rnn4j.apps.gradlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * The gradient-flow numbers against computations that do not use the engine's state-gradient hook:
 * a hand-written double-precision tanh RNN, and for every cell the engine's dh0 of the suffix of the
 * sequence started from h_t (which is dL/dh_t by definition), checked once more by finite differences.
 */
class GradientFlowTest {
    private static final int T = 7, B = 3, H = 4;

    private static SequenceModel model(CellKind cell, int inputSize, int outputs, int layers, long seed) {
        RecurrentConfig rc = new RecurrentConfig(cell, inputSize, H, layers, false, true, 0);
        // larger weights than PyTorch's default so the norms do not all vanish within 7 steps
        SequenceModel m = SequenceModel.create(new ModelConfig(rc, outputs, 0), Init.XAVIER, seed);
        Rng r = new Rng(seed + 100);
        float[] v = m.parameters().values();
        for (int i = 0; i < v.length; i++) v[i] += (float) (0.2 * r.nextGaussian());
        return m;
    }

    @Test
    void tanhRnnMatchesAHandWrittenBackpropagationThroughTime() {
        AddingProblem task = new AddingProblem(T);
        SequenceModel m = model(CellKind.RNN_TANH, 2, 1, 1, 7);
        TaskBatch batch = task.newBatch(B);
        task.fill(batch, new Rng(8));
        GradientFlow.Measurement got = GradientFlow.measure(m, m.newPass(B, T), task, batch, new float[B * T]);

        double[] wih = doubles(m, "rnn.weight_ih_l0"), whh = doubles(m, "rnn.weight_hh_l0");
        double[] bih = doubles(m, "rnn.bias_ih_l0"), bhh = doubles(m, "rnn.bias_hh_l0");
        double[] wo = doubles(m, "head.weight"), bo = doubles(m, "head.bias");
        double[] expected = new double[T];
        double expectedLoss = 0;
        for (int b = 0; b < B; b++) {
            double[][] h = new double[T][H];
            double[] prev = new double[H];
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < H; j++) {
                    double pre = bih[j] + bhh[j];
                    for (int k = 0; k < 2; k++) pre += wih[j * 2 + k] * batch.x[(b * T + t) * 2 + k];
                    for (int k = 0; k < H; k++) pre += whh[j * H + k] * prev[k];
                    h[t][j] = Math.tanh(pre);
                }
                prev = h[t];
            }
            double y = bo[0];
            for (int j = 0; j < H; j++) y += wo[j] * h[T - 1][j];
            expectedLoss += (y - batch.sums[b]) * (y - batch.sums[b]) / B;
            // this sequence's own loss (y - s)^2
            double[] dh = new double[H];
            for (int j = 0; j < H; j++) dh[j] = 2 * (y - batch.sums[b]) * wo[j];
            for (int t = T - 1; t >= 0; t--) {
                expected[t] += norm(dh) / B;
                double[] dPre = new double[H];
                for (int j = 0; j < H; j++) dPre[j] = dh[j] * (1 - h[t][j] * h[t][j]);
                double[] dPrev = new double[H];
                for (int k = 0; k < H; k++) {
                    for (int j = 0; j < H; j++) dPrev[k] += whh[j * H + k] * dPre[j];
                }
                dh = dPrev;
            }
        }
        assertEquals(expectedLoss, got.loss(), 1e-5 * expectedLoss);
        for (int t = 0; t < T; t++) {
            assertEquals(expected[t], got.hiddenNorms()[t], 1e-4 * expected[t] + 1e-9, "||dL/dh_" + t + "||");
        }
        // the test would be blind if the norms were all equal
        assertTrue(expected[0] < 0.9 * expected[T - 1] || expected[0] > 1.1 * expected[T - 1]);
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void everyEntryIsTheGradientOfTheSuffixStartedFromThatState(CellKind cell) {
        CopyMemory task = new CopyMemory(1); // 21 steps, cross-entropy at the last step
        int s = task.sequenceLength(), in = task.inputSize(), c = task.outputSize();
        SequenceModel m = model(cell, in, c, 1, 21);
        TaskBatch batch = task.newBatch(B);
        task.fill(batch, new Rng(22));
        GradientFlow.Measurement got = GradientFlow.measure(m, m.newPass(B, s), task, batch, new float[B * s * c]);

        for (int t = 0; t < s - 1; t++) {
            // h_t (and c_t): the final state of the prefix x[0..t]
            ModelPass prefix = m.newPass(B, t + 1);
            prefix.forward(slice(batch.x, s, in, 0, t + 1), null, null, null, false, null);
            float[] ht = prefix.hn().clone(), ct = prefix.cn().clone();
            // the rest of the sequence from h_t, with the same last-step loss: its dh0 is dL/dh_t
            int rest = s - 1 - t;
            ModelPass suffix = m.newPass(B, rest);
            float[] xs = slice(batch.x, s, in, t + 1, s);
            float[] out = suffix.forward(xs, null, ht, cell == CellKind.LSTM ? ct : null, false, null);
            float[] dOut = new float[B * rest * c];
            lastStepCrossEntropyGrad(out, batch, s, rest, c, dOut);
            m.parameters().zeroGrad();
            suffix.backward(dOut, null, null);
            double expected = 0;
            for (int b = 0; b < B; b++) expected += B * rowNorm(suffix.dh0(), b) / B;
            assertEquals(expected, got.hiddenNorms()[t], 2e-4 * expected + 1e-10, cell + " ||dL/dh_" + t + "||");

            if (t == s / 2) checkFiniteDifference(m, cell, suffix, xs, ht, ct, batch, s, rest, c);
        }
        assertTrue(got.hiddenNorms()[s - 1] > 0);
    }

    /** dL/dh_t by central differences of the suffix loss against the engine's dh0 (so against the entry above). */
    private static void checkFiniteDifference(SequenceModel m, CellKind cell, ModelPass suffix, float[] xs, float[] ht,
                                              float[] ct, TaskBatch batch, int s, int rest, int c) {
        float[] dh0 = suffix.dh0().clone();
        float[] dOut = new float[B * rest * c];
        for (int i = 0; i < ht.length; i += 3) {
            float keep = ht[i];
            float eps = 1e-2f;
            ht[i] = keep + eps;
            double up = lastStepCrossEntropyGrad(suffix.forward(xs, null, ht, cell == CellKind.LSTM ? ct : null, false, null),
                    batch, s, rest, c, dOut);
            ht[i] = keep - eps;
            double down = lastStepCrossEntropyGrad(suffix.forward(xs, null, ht, cell == CellKind.LSTM ? ct : null, false, null),
                    batch, s, rest, c, dOut);
            ht[i] = keep;
            double fd = (up - down) / (2 * eps);
            assertEquals(dh0[i], fd, 2e-3 * Math.abs(fd) + 2e-5, cell + " finite difference of dL/dh element " + i);
        }
    }

    /** Mean over B of the cross-entropy at the last step of out [B, rest, C]; its gradient into dOut. */
    private static double lastStepCrossEntropyGrad(float[] out, TaskBatch batch, int s, int rest, int c, float[] dOut) {
        java.util.Arrays.fill(dOut, 0f);
        double loss = 0;
        for (int b = 0; b < B; b++) {
            int o = (b * rest + rest - 1) * c;
            int label = batch.labels[b * s + s - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) max = Math.max(max, out[o + k]);
            double z = 0;
            for (int k = 0; k < c; k++) z += Math.exp(out[o + k] - max);
            loss += (Math.log(z) + max - out[o + label]) / B;
            for (int k = 0; k < c; k++) dOut[o + k] = (float) ((Math.exp(out[o + k] - max) / z - (k == label ? 1 : 0)) / B);
        }
        return loss;
    }

    @Test
    void recurrentGradientNormsAreGivenPerLayer() {
        AddingProblem task = new AddingProblem(T);
        SequenceModel m = model(CellKind.GRU, 2, 1, 2, 5);
        TaskBatch batch = task.newBatch(B);
        task.fill(batch, new Rng(6));
        GradientFlow.Measurement got = GradientFlow.measure(m, m.newPass(B, T), task, batch, new float[B * T]);
        assertEquals(2, got.recurrentGradNorms().length);
        for (int layer = 0; layer < 2; layer++) {
            float[] grad = m.parameters().grad("rnn.weight_hh_l" + layer).data();
            double sum = 0;
            for (float x : grad) sum += (double) x * x;
            assertEquals(Math.sqrt(sum), got.recurrentGradNorms()[layer], 1e-12);
            assertTrue(got.recurrentGradNorms()[layer] > 0, "layer " + layer);
        }
        assertEquals(got.hiddenNorms()[0] / got.hiddenNorms()[T - 1], got.reach(), 0);
    }

    private static float[] slice(float[] x, int s, int in, int from, int to) {
        int n = to - from;
        float[] out = new float[B * n * in];
        for (int b = 0; b < B; b++) System.arraycopy(x, (b * s + from) * in, out, b * n * in, n * in);
        return out;
    }

    private static double rowNorm(float[] a, int row) {
        double sum = 0;
        for (int j = 0; j < H; j++) sum += (double) a[row * H + j] * a[row * H + j];
        return Math.sqrt(sum);
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) sum += x * x;
        return Math.sqrt(sum);
    }

    private static double[] doubles(SequenceModel m, String name) {
        float[] f = m.parameters().value(name).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
