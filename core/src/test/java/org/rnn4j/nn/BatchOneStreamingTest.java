package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Rng;

/**
 * Batch-1 forwards take their own GEMM path (matrix-vector products over the weights' rows, no
 * transposed copies). They must equal the batched path row for row, and streaming one step per call
 * with the state carried must equal one call over the whole sequence.
 */
class BatchOneStreamingTest {

    @Test
    void batchOneEqualsTheSameRowInABatchAndStreamingEqualsOneCall() {
        for (CellKind kind : CellKind.values()) {
            for (boolean bi : new boolean[] {false, true}) {
                int in = 19, hidden = 37, layers = 2, time = 6;
                RecurrentConfig rc = new RecurrentConfig(kind, in, hidden, layers, bi, true, 0);
                SequenceModel model = SequenceModel.create(new ModelConfig(rc, 0, 0), Init.PYTORCH, 11);
                Rng rng = new Rng(5);
                float[] x = new float[time * in];
                for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
                float[] one = model.newPass(1, time).forward(x, null, null, null, false, null).clone();

                float[] x2 = new float[2 * time * in];
                System.arraycopy(x, 0, x2, 0, x.length);
                System.arraycopy(x, 0, x2, x.length, x.length);
                float[] two = model.newPass(2, time).forward(x2, null, null, null, false, null);
                String what = kind + (bi ? " bidirectional" : "");
                for (int i = 0; i < one.length; i++) {
                    close(what + " batch 1 vs row 0 of batch 2", i, two[i], one[i]);
                    close(what + " batch 1 vs row 1 of batch 2", i, two[one.length + i], one[i]);
                }
                if (bi) continue;  // a reverse direction cannot stream
                ModelPass step = model.newPass(1, 1);
                int dh = rc.outputSize();
                float[] h = new float[layers * hidden], c = new float[layers * hidden];
                for (int t = 0; t < time; t++) {
                    float[] xt = new float[in];
                    System.arraycopy(x, t * in, xt, 0, in);
                    float[] y = step.forward(xt, null, h, kind == CellKind.LSTM ? c : null, false, null);
                    for (int j = 0; j < dh; j++) close(what + " streamed step " + t, j, one[t * dh + j], y[j]);
                    System.arraycopy(step.hn(), 0, h, 0, h.length);
                    if (kind == CellKind.LSTM) System.arraycopy(step.cn(), 0, c, 0, c.length);
                }
            }
        }
    }

    private static void close(String what, int index, float expected, float actual) {
        if (!(Math.abs(expected - actual) <= 1e-5f * (1 + Math.abs(expected)))) {
            fail(what + ": index " + index + " is " + actual + ", expected " + expected);
        }
    }
}
