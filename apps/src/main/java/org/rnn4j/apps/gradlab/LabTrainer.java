package org.rnn4j.apps.gradlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.nn.Initializers;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;

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
 * update, every parameter. The first one that is not finite stops the run; the report names the step
 * and what overflowed, and the model is put back to the parameters of the step before, so the final
 * measurements describe the last finite model instead of carrying NaN.
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
     * Runs {@code spec} to the end of its budget. A loss or gradient norm beyond float32's range counts
     * as an overflow even though it is accumulated in double: the model's arithmetic is float32.
     */
    public static RunResult run(LabConfig config, RunSpec spec, Listener listener) {
        if (listener == null) listener = Listener.NONE;
        GradlabTask task = config.task();
        int b = config.batch(), s = task.sequenceLength();

        Rng master = new Rng(config.seed());
        Rng testRng = master.split();
        long initSeed = master.nextLong();
        Rng dataRng = master.split();

        TaskBatch[] test = new TaskBatch[config.testBatches()];
        double baselineTest = 0;
        for (int i = 0; i < test.length; i++) {
            test[i] = task.newBatch(b);
            task.fill(test[i], testRng);
            baselineTest += task.baselineLoss(test[i]) / test.length;
        }

        SequenceModel model = newModel(config, spec, initSeed);
        Parameters p = model.parameters();
        ModelPass pass = model.newPass(b, s);
        float[] dOut = new float[b * s * task.outputSize()];
        TaskBatch train = task.newBatch(b);
        float[] backup = new float[p.size()];

        GradientFlow.Measurement flowInit = GradientFlow.measure(model, pass, task, test[0], dOut);
        List<RunResult.FlowPoint> history = new ArrayList<>();
        history.add(new RunResult.FlowPoint(0, flowInit.reach(), flowInit.recurrentGradNorms()));

        Optimizer opt = Optimizers.create(config.optimizer(), config.lr(), 0, 0, p);
        FloatList losses = new FloatList(), gradNorms = new FloatList();
        List<Long> evalSteps = new ArrayList<>();
        List<Double> evalLosses = new ArrayList<>();
        long maxSteps = config.maxSteps() > 0 ? config.maxSteps() : Long.MAX_VALUE;
        long budgetNanos = config.timeBudget() == null ? Long.MAX_VALUE : config.timeBudget().toNanos();
        long step = 0, divergedAt = -1;
        String reason = null;
        double lastEval = evaluate(pass, task, test); // the starting point of the test curve
        long lastEvalStep = 0;
        evalSteps.add(0L);
        evalLosses.add(lastEval);
        long start = System.nanoTime(); // the time budget covers the steps and the periodic evaluations

        while (step < maxSteps && System.nanoTime() - start < budgetNanos) {
            long attempt = step + 1;
            task.fill(train, dataRng);
            float[] out = pass.forward(train.x, null, null, null, true, null);
            double loss = task.lossAndGrad(out, train, dOut);
            if (!Float.isFinite((float) loss)) { // the loss is summed in double; beyond float32 it is an overflow
                divergedAt = attempt;
                reason = "loss is " + (Double.isFinite(loss) ? loss + ", beyond float32" : loss);
                break;
            }
            p.zeroGrad();
            pass.backward(dOut, null, null);
            double norm = spec.clipNorm() > 0 ? GradClip.clipNorm(p, spec.clipNorm()) : GradClip.norm(p);
            if (!Float.isFinite((float) norm)) {
                divergedAt = attempt;
                reason = "gradient norm is " + (Double.isFinite(norm) ? norm + ", beyond float32" : norm) + " (loss " + loss + ")";
                break;
            }
            if (spec.clipValue() > 0) GradClip.clipValue(p, spec.clipValue());
            System.arraycopy(p.values(), 0, backup, 0, backup.length);
            opt.step(p);
            String bad = firstNonFinite(p);
            if (bad != null) {
                System.arraycopy(backup, 0, p.values(), 0, backup.length);
                divergedAt = attempt;
                reason = "parameter " + bad + " became inf/NaN in the update (gradient norm " + norm + ")";
                break;
            }
            step = attempt;
            losses.add((float) loss);
            gradNorms.add((float) norm);
            double elapsed = (System.nanoTime() - start) * 1e-9;
            listener.onStep(step, loss, norm, elapsed);
            if (step % config.evalEvery() == 0) {
                lastEval = evaluate(pass, task, test);
                lastEvalStep = step;
                evalSteps.add(step);
                evalLosses.add(lastEval);
                listener.onEval(step, lastEval);
                GradientFlow.Measurement m = GradientFlow.measure(model, pass, task, test[0], dOut);
                history.add(new RunResult.FlowPoint(step, m.reach(), m.recurrentGradNorms()));
                if (config.stopAt() > 0 && lastEval < config.stopAt()) break;
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        if (lastEvalStep != step) {
            lastEval = evaluate(pass, task, test);
            evalSteps.add(step);
            evalLosses.add(lastEval);
            listener.onEval(step, lastEval);
        }
        GradientFlow.Measurement flowFinal = GradientFlow.measure(model, pass, task, test[0], dOut);
        boolean diverged = divergedAt >= 0;
        double testLoss = diverged ? Double.NaN : lastEval;
        boolean beat = !diverged && lastEval < BEAT_FRACTION * baselineTest;
        long[] es = new long[evalSteps.size()];
        double[] el = new double[es.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = evalSteps.get(i);
            el[i] = evalLosses.get(i);
        }
        return new RunResult(spec, step, seconds, testLoss, lastEval, baselineTest, beat, divergedAt, reason, flowInit,
                flowFinal, losses.toArray(), gradNorms.toArray(), es, el, history);
    }

    /** Mean loss over the test batches (forward only, no training mode). */
    static double evaluate(ModelPass pass, GradlabTask task, TaskBatch[] test) {
        double sum = 0;
        for (TaskBatch t : test) sum += task.lossAndGrad(pass.forward(t.x, null, null, null, false, null), t, null);
        return sum / test.length;
    }

    private static String firstNonFinite(Parameters p) {
        float[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                for (Parameters.Param q : p.list()) {
                    if (i >= q.offset() && i < q.offset() + q.size()) return q.name();
                }
                return "#" + i;
            }
        }
        return null;
    }

    /** A growable float array (one value per step; runs with a time budget have no known length). */
    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float x) {
            if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = x;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
