package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Rng;

/** Dropout between layers (training only, same mask in backward) and the embedding's gradient. */
class DropoutAndEmbeddingTest {

    @Test
    void dropoutOnlyWhenTrainingAndReproducibleFromTheSeed() {
        RecurrentConfig rc = new RecurrentConfig(CellKind.LSTM, 3, 8, 2, false, true, 0.5);
        SequenceModel m = SequenceModel.create(new ModelConfig(rc, 2, 0), Init.PYTORCH, 3);
        ModelPass pass = m.newPass(2, 4);
        float[] x = new float[2 * 4 * 3];
        Rng data = new Rng(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) data.nextGaussian();
        float[] eval1 = pass.forward(x, null, null, null, false, null).clone();
        float[] eval2 = pass.forward(x, null, null, null, false, new Rng(1)).clone();
        assertArrayEquals(eval1, eval2, "inference must not use dropout");
        float[] trainA = pass.forward(x, null, null, null, true, new Rng(9)).clone();
        float[] trainB = pass.forward(x, null, null, null, true, new Rng(9)).clone();
        float[] trainC = pass.forward(x, null, null, null, true, new Rng(10)).clone();
        assertArrayEquals(trainA, trainB, "same seed, same mask");
        assertFalse(Arrays.equals(trainA, eval1), "training output should differ from inference with p = 0.5");
        assertFalse(Arrays.equals(trainA, trainC), "another seed, another mask");
    }

    /** Float central differences with a fixed mask (same Rng state every forward). */
    @Test
    void backwardUsesTheForwardMask() {
        RecurrentConfig rc = new RecurrentConfig(CellKind.GRU, 2, 3, 2, true, true, 0.4);
        SequenceModel m = SequenceModel.create(new ModelConfig(rc, 1, 0), Init.PYTORCH, 4);
        ModelPass pass = m.newPass(2, 3);
        float[] x = new float[2 * 3 * 2];
        Rng data = new Rng(6);
        for (int i = 0; i < x.length; i++) x[i] = (float) data.nextGaussian();
        float[] y = pass.forward(x, null, null, null, true, new Rng(77));
        float[] ones = new float[y.length];
        Arrays.fill(ones, 1f);
        m.parameters().zeroGrad();
        pass.backward(ones, null, null);
        float[] dx = pass.dInput().clone();
        float[] grads = m.parameters().grads().clone();
        float[] v = m.parameters().values();
        double h = 1e-2;
        for (int i = 0; i < v.length; i += 3) {
            float keep = v[i];
            v[i] = (float) (keep + h);
            double up = sum(pass.forward(x, null, null, null, true, new Rng(77)));
            v[i] = (float) (keep - h);
            double down = sum(pass.forward(x, null, null, null, true, new Rng(77)));
            v[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertTrue(Math.abs(numeric - grads[i]) <= 3e-3 + 3e-2 * Math.abs(numeric),
                    "param " + i + ": finite difference " + numeric + ", backward " + grads[i]);
        }
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = (float) (keep + h);
            double up = sum(pass.forward(x, null, null, null, true, new Rng(77)));
            x[i] = (float) (keep - h);
            double down = sum(pass.forward(x, null, null, null, true, new Rng(77)));
            x[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertTrue(Math.abs(numeric - dx[i]) <= 3e-3 + 3e-2 * Math.abs(numeric), "x " + i + ": " + numeric + " vs " + dx[i]);
        }
    }

    @Test
    void embeddingGradientAddsUpRepeatedTokens() {
        RecurrentConfig rc = new RecurrentConfig(CellKind.RNN_TANH, 4, 5, 1, false, true, 0);
        SequenceModel m = SequenceModel.create(new ModelConfig(rc, 3, 6), Init.PYTORCH, 2);
        ModelPass pass = m.newPass(1, 4);
        int[] tokens = {2, 5, 2, 0};
        float[] y = pass.forwardTokens(tokens, null, null, null, false, null);
        float[] ones = new float[y.length];
        Arrays.fill(ones, 1f);
        m.parameters().zeroGrad();
        pass.backward(ones, null, null);
        float[] g = m.parameters().grad("embedding.weight").data();
        float[] v = m.parameters().values();
        int off = m.parameters().get("embedding.weight").offset();
        double h = 1e-2;
        for (int i = 0; i < 6 * 4; i++) {
            float keep = v[off + i];
            v[off + i] = (float) (keep + h);
            double up = sum(pass.forwardTokens(tokens, null, null, null, false, null));
            v[off + i] = (float) (keep - h);
            double down = sum(pass.forwardTokens(tokens, null, null, null, false, null));
            v[off + i] = keep;
            double numeric = (up - down) / (2 * h);
            assertTrue(Math.abs(numeric - g[i]) <= 3e-3 + 3e-2 * Math.abs(numeric), "embedding " + i + ": " + numeric + " vs " + g[i]);
        }
        for (int row : new int[] {1, 3, 4}) {
            for (int j = 0; j < 4; j++) assertTrue(g[row * 4 + j] == 0f, "unused token " + row + " must get no gradient");
        }
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float f : a) s += f;
        return s;
    }
}
