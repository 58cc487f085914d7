package org.rnn4j.bench;

import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Adam;
import org.rnn4j.train.MseLoss;

/**
 * One training step of a bare recurrent stack, the same one tools/bench/compare_torch.py times in
 * PyTorch: forward over a [B, T, I] batch, MSE against a [B, T, H] target, backward, Adam (PyTorch's
 * defaults). Data are fixed N(0, 1) draws, so every step does the same work. All buffers are made
 * here; {@link #run()} allocates nothing.
 */
public final class TrainingStep {
    private final SequenceModel model;
    private final ModelPass pass;
    private final Adam adam;
    private final float[] x;       // [B, T, I]
    private final float[] target;  // [B, T, H]
    private final float[] dOut;    // [B, T, H]

    public TrainingStep(CellKind cell, Workload w, long seed) {
        this(cell, w.batch, w.time, w.input, w.hidden, w.layers, seed);
    }

    public TrainingStep(CellKind cell, int batch, int time, int input, int hidden, int layers, long seed) {
        RecurrentConfig rc = new RecurrentConfig(cell, input, hidden, layers, false, true, 0);
        model = SequenceModel.create(new ModelConfig(rc, 0, 0), Init.PYTORCH, seed);
        pass = model.newPass(batch, time).inputGradient(false); // as PyTorch: x does not require grad
        adam = new Adam(Adam.Config.defaults(), model.parameters());
        Rng rng = new Rng(seed + 1);
        x = gaussian(batch * time * input, rng);
        target = gaussian(batch * time * hidden, rng);
        dOut = new float[target.length];
    }

    /** Forward, loss, backward and the Adam update; returns the loss before the update. */
    public double run() {
        model.parameters().zeroGrad();
        float[] y = pass.forward(x, null, null, null, true, null);
        double loss = MseLoss.lossAndGrad(y, 0, target, 0, y.length, dOut, 0);
        pass.backward(dOut, null, null);
        adam.step(model.parameters());
        return loss;
    }

    /** Forward and backward only (no optimizer), for isolating the engine. */
    public double forwardBackward() {
        model.parameters().zeroGrad();
        float[] y = pass.forward(x, null, null, null, true, null);
        double loss = MseLoss.lossAndGrad(y, 0, target, 0, y.length, dOut, 0);
        pass.backward(dOut, null, null);
        return loss;
    }

    static float[] gaussian(int n, Rng rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
