package org.rnn4j.apps.gradlab;

import java.util.Arrays;
import org.rnn4j.nn.Initializers;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * Trains one model ({@link RunSpec}) on a task under the shared settings of a {@link LabConfig},
 * measuring the gradient flow before, during and after, and stopping at the first inf/NaN.
 *
 * <p>Reproducibility: the test set, the stream of training batches and the initial weights all come
 * from {@code config.seed()} in a fixed order, and every run of one experiment gets the same test set
 * and the same training batches, so runs differ only in their cell and cure. With a step budget a run
 * replays bit for bit; a time budget makes the number of steps depend on the machine.
 *
 * <p>Divergence: each step checks the loss, the gradient norm (before clipping) and, after the
 * update, every parameter. In {@link #run} the first one that is not finite stops the run; the report
 * names the step and what overflowed, and the model is put back to the parameters of the step before,
 * so the final measurements describe the last finite model instead of carrying NaN. {@link
 * LabExperiment} applies the divergence guard instead for normal training (see {@link LabRun}).
 */
public final class LabTrainer {
    /** A run beats the baseline when its test loss is below this fraction of the baseline's. */
    public static final double BEAT_FRACTION = 0.9;

    private LabTrainer() {}

    /** Progress callbacks, called on the training thread. */
    public interface Listener {
        /** After every step; {@code gradNorm} is before clipping. */
        default void onStep(long step, double loss, double gradNorm, double elapsedSeconds) {}

        /** After every evaluation of the test set. */
        default void onEval(long step, double testLoss) {}

        Listener NONE = new Listener() {};
    }

    /** The model a run trains: one recurrent stack with a linear head sized for the task. */
    public static SequenceModel newModel(LabConfig config, RunSpec spec, long initSeed) {
        GradlabTask task = config.task();
        RecurrentConfig rc = new RecurrentConfig(spec.cell(), task.inputSize(), config.hidden(), config.layers(), false, true, 0);
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, task.outputSize(), 0), config.init(), initSeed);
        if (spec.spectralRadius() > 0) setRecurrentRadius(model, spec.spectralRadius(), new Rng(initSeed).split());
        if (!Double.isNaN(config.forgetBias())) setKeepGateBias(model, config.forgetBias());
        return model;
    }

    /**
     * Sets the bias of the gate that keeps the state — LSTM forget gate f (gates i, f, g, o), GRU
     * update gate z (gates r, z, n); the second H-block in both — to {@code bias} in b_ih and 0 in
     * b_hh, in every layer. Nothing for a plain RNN or a model without biases.
     */
    public static void setKeepGateBias(SequenceModel model, double bias) {
        RecurrentConfig rc = model.config().rnn();
        if (!rc.bias() || (rc.cell() != org.rnn4j.nn.CellKind.LSTM && rc.cell() != org.rnn4j.nn.CellKind.GRU)) return;
        Parameters p = model.parameters();
        float[] v = p.values();
        int h = rc.hiddenSize();
        for (int layer = 0; layer < rc.numLayers(); layer++) {
            int ih = p.get(SequenceModel.RNN_PREFIX + "bias_ih_l" + layer).offset() + h;
            int hh = p.get(SequenceModel.RNN_PREFIX + "bias_hh_l" + layer).offset() + h;
            Arrays.fill(v, ih, ih + h, (float) bias);
            Arrays.fill(v, hh, hh + h, 0f);
        }
    }

    /**
     * Sets every recurrent gate block W_hh (H×H) of every layer to {@code radius} · Q with Q a random
     * orthogonal matrix: all eigenvalues of Q have modulus 1, so the block's spectral radius (and its
     * largest singular value) is exactly {@code radius}.
     */
    public static void setRecurrentRadius(SequenceModel model, double radius, Rng rng) {
        RecurrentConfig rc = model.config().rnn();
        Parameters p = model.parameters();
        float[] v = p.values();
        int h = rc.hiddenSize();
        for (int layer = 0; layer < rc.numLayers(); layer++) {
            Parameters.Param w = p.get(SequenceModel.RNN_PREFIX + "weight_hh_l" + layer);
            for (int gate = 0; gate < rc.cell().gates(); gate++) {
                int off = w.offset() + gate * h * h;
                Initializers.orthogonal(v, off, h, rng);
                for (int i = off; i < off + h * h; i++) v[i] = (float) (v[i] * radius);
            }
        }
    }

    /**
     * Runs {@code spec} to the end of its budget, stopping at the first inf/NaN (no divergence guard: the
     * behaviour the {@code --explode} demonstration needs). A loss or gradient norm beyond float32's range
     * counts as an overflow even though it is accumulated in double: the model's arithmetic is float32.
     * {@link LabExperiment} runs several specs with checkpoints, resumption and, for normal training, the
     * divergence guard.
     */
    public static RunResult run(LabConfig config, RunSpec spec, Listener listener) {
        LabRun run = new LabRun(config, spec, null, listener);
        while (!run.done()) run.step();
        return run.finish();
    }

    /**
     * The experiment's test set: {@code config.testBatches()} batches drawn once from the seed, the same for
     * every run (the first generator split from {@code new Rng(config.seed())}).
     */
    public static TaskBatch[] testSet(LabConfig config) {
        return drawTestSet(config, new Rng(config.seed()).split());
    }

    static TaskBatch[] drawTestSet(LabConfig config, Rng testRng) {
        GradlabTask task = config.task();
        TaskBatch[] test = new TaskBatch[config.testBatches()];
        for (int i = 0; i < test.length; i++) {
            test[i] = task.newBatch(config.batch());
            task.fill(test[i], testRng);
        }
        return test;
    }

    /** Mean loss over the test batches (forward only, no training mode). */
    static double evaluate(ModelPass pass, GradlabTask task, TaskBatch[] test) {
        double sum = 0;
        for (TaskBatch t : test) sum += task.lossAndGrad(pass.forward(t.x, null, null, null, false, null), t, null);
        return sum / test.length;
    }
}
