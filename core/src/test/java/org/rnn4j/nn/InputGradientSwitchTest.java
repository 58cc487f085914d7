package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.tensor.Rng;

/** Turning the input gradient off skips work, not results: parameter gradients stay bit-identical. */
class InputGradientSwitchTest {

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"LSTM", "GRU", "RNN_TANH"})
    void parameterGradientsAreUnchangedAndDInputIsRefused(CellKind cell) {
        RecurrentConfig rc = new RecurrentConfig(cell, 5, 7, 2, true, true, 0);
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, 3, 0), Init.PYTORCH, 11);
        int b = 4, t = 6;
        Rng rng = new Rng(3);
        float[] x = new float[b * t * 5], dOut = new float[b * t * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < dOut.length; i++) dOut[i] = (float) rng.nextGaussian();
        int[] lengths = {6, 3, 5, 1};

        float[] withInput = gradients(model, model.newPass(b, t), x, lengths, dOut);
        ModelPass lean = model.newPass(b, t).inputGradient(false);
        float[] without = gradients(model, lean, x, lengths, dOut);

        assertArrayEquals(withInput, without);
        assertThrows(IllegalStateException.class, lean::dInput);
    }

    private static float[] gradients(SequenceModel model, ModelPass pass, float[] x, int[] lengths, float[] dOut) {
        model.parameters().zeroGrad();
        pass.forward(x, lengths, null, null, false, null);
        pass.backward(dOut, null, null);
        return model.parameters().grads().clone();
    }
}
