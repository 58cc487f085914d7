package org.rnn4j.bench;

import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * Streaming inference (S4): one time step of one sequence per call, the state carried from call to
 * call, as a server answering a live stream would run it. Allocates nothing per call.
 */
public final class InferenceStep {
    private final ModelPass pass;
    private final float[] x;   // [1, 1, I]
    private final float[] h;   // [L, 1, H]
    private final float[] c;   // [L, 1, H] (LSTM)
    private final boolean lstm;

    public InferenceStep(CellKind cell, Workload w, long seed) {
        RecurrentConfig rc = new RecurrentConfig(cell, w.input, w.hidden, w.layers, false, true, 0);
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, 0, 0), Init.PYTORCH, seed);
        pass = model.newPass(1, 1);
        x = TrainingStep.gaussian(w.input, new Rng(seed + 1));
        h = new float[w.layers * w.hidden];
        c = new float[w.layers * w.hidden];
        lstm = cell == CellKind.LSTM;
    }

    /** One step; returns the first output so the work cannot be optimised away. */
    public float run() {
        float[] y = pass.forward(x, null, h, lstm ? c : null, false, null);
        System.arraycopy(pass.hn(), 0, h, 0, h.length);
        if (lstm) System.arraycopy(pass.cn(), 0, c, 0, c.length);
        return y[0];
    }
}
