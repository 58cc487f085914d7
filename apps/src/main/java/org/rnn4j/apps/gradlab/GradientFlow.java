package org.rnn4j.apps.gradlab;

import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;

/**
 * How far back in time the loss gradient reaches: for the loss L at the last step S − 1, the norm
 * of dL/dh_t for every t = 0..S−1 (h_t the top layer's hidden state after step t), and the norms of
 * the recurrent weight gradients dL/dW_hh of every layer.
 *
 * <p>Backpropagation through time multiplies dL/dh_t by the step Jacobian dh_{t}/dh_{t−1} once per
 * step back; when those Jacobians shrink vectors (a tanh RNN whose recurrent weights are small, or
 * whose units saturate), ‖dL/dh_t‖ falls geometrically with the distance S − 1 − t and the early
 * inputs receive no learning signal — the vanishing gradient. Gated cells keep an additive path (the
 * LSTM cell state, the GRU's (1 − z) h) along which it need not fall.
 *
 * <p>Each norm is per sequence: the gradient of one sequence's own last-step loss with respect to
 * its own h_t, averaged over the sequences of the batch. (The batch loss is the mean of B sequence
 * losses and sequences do not interact, so a sequence's rows of the batch gradient are 1/B of its
 * own gradient.) The recurrent weight gradient norms are those of the batch loss.
 *
 * <p>Implementation: the engine's {@link org.rnn4j.nn.Recurrent.StateGradientHook} reports, after
 * the backward step over time t, dL/dh_{t−1} (the gradient of the state before step t). With the loss
 * at the last step only, no output below S − 1 adds a direct term, so that hook value is the whole
 * dL/dh_{t−1}: the value at t gives entry t − 1. The last entry, dL/dh_{S−1}, is the head's
 * backward: W_head^T dL/dy_{S−1}. Only the top layer is measured: for a lower layer the hook would
 * miss the gradient that reaches h_t from the layer above at the same step.
 */
public final class GradientFlow {
    private GradientFlow() {}

    /**
     * One measurement.
     *
     * @param hiddenNorms        [S] mean over sequences of ‖dL/dh_t‖, t = 0..S−1
     * @param recurrentGradNorms [layers] ‖dL/dW_hh‖ of each layer (Frobenius)
     * @param loss               the last-step loss of the batch
     */
    public record Measurement(double[] hiddenNorms, double[] recurrentGradNorms, double loss) {
        /** ‖dL/dh_0‖ / ‖dL/dh_{S−1}‖: how much of the last step's gradient reaches the first step. */
        public double reach() {
            return hiddenNorms[0] / hiddenNorms[hiddenNorms.length - 1];
        }
    }

    /**
     * Measures the gradient flow of {@code model} on {@code batch}. Runs a forward (not training: no
     * dropout) and a backward through {@code pass}; overwrites the model's gradients (they hold dL/dθ
     * of the last-step loss afterwards) and {@code dOut}.
     *
     * @param pass  a pass of {@code model} for (batch.batch, batch.steps)
     * @param dOut  [B, S, O] scratch buffer
     */
    public static Measurement measure(SequenceModel model, ModelPass pass, GradlabTask task, TaskBatch batch, float[] dOut) {
        RecurrentConfig rc = model.config().rnn();
        if (rc.bidirectional()) throw new IllegalArgumentException("gradient flow is measured on unidirectional models only");
        if (!model.config().hasHead()) throw new IllegalArgumentException("gradient flow needs a model with a linear head");
        if (pass.batch() != batch.batch || pass.time() != batch.steps) {
            throw new IllegalArgumentException("pass is for " + pass.batch() + "×" + pass.time() + " but the batch is "
                    + batch.batch + "×" + batch.steps);
        }
        int b = batch.batch, s = batch.steps, h = rc.hiddenSize(), top = rc.numLayers() - 1;
        float[] out = pass.forward(batch.x, null, null, null, false, null);
        double loss = task.lastStepLossAndGrad(out, batch, dOut);
        Parameters p = model.parameters();
        p.zeroGrad();
        double[] norms = new double[s];
        pass.backward(dOut, null, null, (layer, dir, t, dh, bb, hh) -> {
            if (layer == top && t >= 1) norms[t - 1] = meanRowNorm(dh, bb, hh) * bb; // × B: see the class comment
        });
        norms[s - 1] = lastStepNorm(model, dOut, b, s, h);
        double[] wNorms = new double[rc.numLayers()];
        float[] g = p.grads();
        for (int layer = 0; layer < wNorms.length; layer++) {
            Parameters.Param w = p.get(SequenceModel.RNN_PREFIX + "weight_hh_l" + layer);
            double sum = 0;
            for (int i = w.offset(); i < w.offset() + w.size(); i++) sum += (double) g[i] * g[i];
            wNorms[layer] = Math.sqrt(sum);
        }
        return new Measurement(norms, wNorms, loss);
    }

    /** Mean over the B rows of [B, H] of each row's L2 norm. */
    static double meanRowNorm(float[] a, int rows, int cols) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double v = a[r * cols + c];
                sum += v * v;
            }
            total += Math.sqrt(sum);
        }
        return total / rows;
    }

    /** dL/dh_{S−1} = W_head^T dL/dy_{S−1} per sequence, as the mean per-sequence norm. */
    private static double lastStepNorm(SequenceModel model, float[] dOut, int b, int s, int h) {
        Parameters p = model.parameters();
        Parameters.Param w = p.get(SequenceModel.HEAD_PREFIX + "weight"); // [O, H]
        int o = w.shape()[0];
        float[] v = p.values();
        double total = 0;
        double[] row = new double[h];
        for (int i = 0; i < b; i++) {
            java.util.Arrays.fill(row, 0);
            int dy = (i * s + s - 1) * o;
            for (int k = 0; k < o; k++) {
                double g = dOut[dy + k];
                for (int j = 0; j < h; j++) row[j] += g * v[w.offset() + k * h + j];
            }
            double sum = 0;
            for (double x : row) sum += x * x;
            total += Math.sqrt(sum);
        }
        // each sequence's own gradient is B × its row of the batch gradient: mean over B of B·‖row‖ = Σ‖row‖
        return total;
    }
}
