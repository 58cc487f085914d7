package org.rnn4j.apps.gradlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.DivergenceGuard;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;

/**
 * One run of an experiment ({@link RunSpec} under a {@link LabConfig}) as an explicit state machine:
 * {@link #step()} until {@link #done()}, then {@link #finish()}. Everything that changes the result is a
 * field, so that {@link #save} and {@link #restore} can stop it after any step and continue bit for bit.
 *
 * <p>What is not stored is rebuilt from the seed on restore, exactly as at the start: the test set (and
 * its baseline loss) and the model's structure. What is stored: the parameters, the optimizer (moments,
 * step count, learning rate), the step, the training-data generator, the per-step loss and gradient-norm
 * series, the evaluations and gradient-flow snapshots so far, the flow at initialisation, whether the run
 * has already stopped (test loss below {@code stopAt}, divergence) and why, the divergence guard's
 * counters, and the wall-clock time spent (so a time budget continues with what is left of it).
 *
 * <p>Non-finite values: with a {@link DivergenceGuard} (normal training) a step whose loss or gradient
 * norm is not a finite float32 is skipped — the parameters are untouched, the learning rate is lowered,
 * the step counts (its batch was drawn) and its entries in the per-step series are NaN; when the guard
 * gives up the run stops there and is reported as diverged. Without one (the {@code --explode}
 * demonstration) the first such value stops the run at once and the report names the step, as it must:
 * curing that run would hide what it demonstrates. In both modes an update that makes a parameter
 * non-finite is undone and stops the run.
 */
final class LabRun {
    private final LabConfig config;
    private final RunSpec spec;
    private final GradlabTask task;
    private final TaskBatch[] test;
    private final double baselineTest;
    private final SequenceModel model;
    private final Parameters p;
    private final ModelPass pass;
    private final float[] dOut;
    private final TaskBatch train;
    private final float[] backup;
    private final Optimizer opt;
    private final DivergenceGuard guard;
    private final LabTrainer.Listener listener;
    private final long maxSteps;
    private final long budgetNanos;

    // The state: everything below goes into a checkpoint.
    private final Rng dataRng;
    private GradientFlow.Measurement flowInit;
    private final List<RunResult.FlowPoint> history = new ArrayList<>();
    private final FloatList losses = new FloatList(), gradNorms = new FloatList();
    private final List<Long> evalSteps = new ArrayList<>();
    private final List<Double> evalLosses = new ArrayList<>();
    private long step;
    private long divergedAt = -1;
    private String reason;
    private boolean stopped;
    private double lastEval;
    private long lastEvalStep;
    /** Training time spent before this process took over (restored), in nanoseconds. */
    private long elapsedBefore;
    /** System.nanoTime() when this process started (or resumed) the clock. */
    private long clockStart;

    /**
     * A run at step 0: test set, initial weights and the first evaluation are made here.
     *
     * @param guard    the divergence policy of normal training, or null to stop at the first inf/NaN
     *                 (the exploding-gradient demonstration)
     * @param listener progress callbacks; may be null
     */
    LabRun(LabConfig config, RunSpec spec, DivergenceGuard guard, LabTrainer.Listener listener) {
        this.config = config;
        this.spec = spec;
        this.task = config.task();
        this.guard = guard;
        this.listener = listener == null ? LabTrainer.Listener.NONE : listener;
        int b = config.batch(), s = task.sequenceLength();

        // The order of draws from the master generator is part of the reproducibility contract.
        Rng master = new Rng(config.seed());
        Rng testRng = master.split();
        long initSeed = master.nextLong();
        this.dataRng = master.split();
        this.test = LabTrainer.drawTestSet(config, testRng);
        double base = 0;
        for (TaskBatch t : test) base += task.baselineLoss(t) / test.length;
        this.baselineTest = base;

        this.model = LabTrainer.newModel(config, spec, initSeed);
        this.p = model.parameters();
        this.pass = model.newPass(b, s);
        this.dOut = new float[b * s * task.outputSize()];
        this.train = task.newBatch(b);
        this.backup = new float[p.size()];
        this.opt = Optimizers.create(config.optimizer(), config.lr(), 0, 0, p);
        this.maxSteps = config.maxSteps() > 0 ? config.maxSteps() : Long.MAX_VALUE;
        this.budgetNanos = config.timeBudget() == null ? Long.MAX_VALUE : config.timeBudget().toNanos();

        flowInit = GradientFlow.measure(model, pass, task, test[0], dOut);
        history.add(new RunResult.FlowPoint(0, flowInit.reach(), flowInit.recurrentGradNorms()));
        lastEval = LabTrainer.evaluate(pass, task, test); // the starting point of the test curve
        evalSteps.add(0L);
        evalLosses.add(lastEval);
        clockStart = System.nanoTime(); // the time budget covers the steps and the periodic evaluations
    }

    RunSpec spec() {
        return spec;
    }

    SequenceModel model() {
        return model;
    }

    /** Steps taken (skipped ones included). */
    long steps() {
        return step;
    }

    long elapsedNanos() {
        return elapsedBefore + (System.nanoTime() - clockStart);
    }

    /** True when the run's budget is spent, its test loss reached {@code stopAt}, or it diverged. */
    boolean done() {
        return stopped || step >= maxSteps || elapsedNanos() >= budgetNanos;
    }

    /** One training step (and the evaluation due after it). */
    void step() {
        long attempt = step + 1;
        task.fill(train, dataRng);
        float[] out = pass.forward(train.x, null, null, null, true, null);
        double loss = task.lossAndGrad(out, train, dOut);
        // The loss is summed in double, the model computes in float32: beyond float32 is an overflow.
        if (guard == null && !Float.isFinite((float) loss)) {
            diverge(attempt, "loss is " + (Double.isFinite(loss) ? loss + ", beyond float32" : loss));
            return;
        }
        p.zeroGrad();
        pass.backward(dOut, null, null);
        double norm = spec.clipNorm() > 0 ? GradClip.clipNorm(p, spec.clipNorm()) : GradClip.norm(p);
        if (guard == null) {
            if (!Float.isFinite((float) norm)) {
                diverge(attempt, "gradient norm is " + (Double.isFinite(norm) ? norm + ", beyond float32" : norm) + " (loss " + loss + ")");
                return;
            }
        } else {
            boolean admitted;
            try {
                admitted = guard.admit(attempt, (float) loss, (float) norm, opt);
            } catch (DivergenceException e) {
                // The guard gave up: this cell stops here and is reported as diverged; the others still run.
                record(attempt, Float.NaN, Float.NaN, loss, norm);
                divergedAt = e.step();
                reason = e.getMessage();
                stopped = true;
                return;
            }
            if (!admitted) {
                record(attempt, Float.NaN, Float.NaN, loss, norm);
                evaluateIfDue();
                return;
            }
        }
        if (spec.clipValue() > 0) GradClip.clipValue(p, spec.clipValue());
        System.arraycopy(p.values(), 0, backup, 0, backup.length);
        opt.step(p);
        String bad = firstNonFinite(p);
        if (bad != null) {
            System.arraycopy(backup, 0, p.values(), 0, backup.length);
            diverge(attempt, "parameter " + bad + " became inf/NaN in the update (gradient norm " + norm + ")");
            return;
        }
        record(attempt, (float) loss, (float) norm, loss, norm);
        evaluateIfDue();
    }

    private void record(long attempt, float lossEntry, float normEntry, double loss, double norm) {
        step = attempt;
        losses.add(lossEntry);
        gradNorms.add(normEntry);
        listener.onStep(step, loss, norm, elapsedNanos() * 1e-9);
    }

    private void diverge(long attempt, String why) {
        divergedAt = attempt;
        reason = why;
        stopped = true;
    }

    private void evaluateIfDue() {
        if (step % config.evalEvery() != 0) return;
        lastEval = LabTrainer.evaluate(pass, task, test);
        lastEvalStep = step;
        evalSteps.add(step);
        evalLosses.add(lastEval);
        listener.onEval(step, lastEval);
        GradientFlow.Measurement m = GradientFlow.measure(model, pass, task, test[0], dOut);
        history.add(new RunResult.FlowPoint(step, m.reach(), m.recurrentGradNorms()));
        if (config.stopAt() > 0 && lastEval < config.stopAt()) stopped = true;
    }

    /** The final evaluation and measurement; call once, when {@link #done()}. */
    RunResult finish() {
        double seconds = elapsedNanos() * 1e-9;
        if (lastEvalStep != step) {
            lastEval = LabTrainer.evaluate(pass, task, test);
            lastEvalStep = step;
            evalSteps.add(step);
            evalLosses.add(lastEval);
            listener.onEval(step, lastEval);
        }
        GradientFlow.Measurement flowFinal = GradientFlow.measure(model, pass, task, test[0], dOut);
        boolean diverged = divergedAt >= 0;
        double testLoss = diverged ? Double.NaN : lastEval;
        boolean beat = !diverged && lastEval < LabTrainer.BEAT_FRACTION * baselineTest;
        long[] es = new long[evalSteps.size()];
        double[] el = new double[es.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = evalSteps.get(i);
            el[i] = evalLosses.get(i);
        }
        return new RunResult(spec, step, seconds, testLoss, lastEval, baselineTest, beat, divergedAt, reason, flowInit,
                flowFinal, losses.toArray(), gradNorms.toArray(), es, el, List.copyOf(history),
                guard == null ? 0 : guard.skipped());
    }

    // ---------------------------------------------------------------- checkpoint

    /** Puts the run's state into {@code ck}: the model and optimizer in their standard places, the rest under {@code prefix}. */
    void save(Checkpoint ck, String prefix) {
        ck.putModel(p).putOptimizer(opt);
        ck.putJson(prefix + "spec", spec.name());
        ck.putLong(prefix + "step", step);
        ck.putRng(prefix + "data", dataRng);
        ck.putLong(prefix + "elapsedNanos", elapsedNanos());
        ck.putLong(prefix + "stopped", stopped ? 1 : 0);
        ck.putLong(prefix + "divergedAt", divergedAt);
        if (reason != null) ck.putJson(prefix + "reason", reason);
        ck.putDouble(prefix + "lastEval", lastEval);
        ck.putLong(prefix + "lastEvalStep", lastEvalStep);
        LabCheckpoints.putMeasurement(ck, prefix + "flowInit", flowInit);
        LabCheckpoints.putFloats(ck, prefix + "trainLoss", losses.toArray());
        LabCheckpoints.putFloats(ck, prefix + "gradNorm", gradNorms.toArray());
        long[] es = new long[evalSteps.size()];
        double[] el = new double[es.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = evalSteps.get(i);
            el[i] = evalLosses.get(i);
        }
        LabCheckpoints.putLongs(ck, prefix + "evalSteps", es);
        LabCheckpoints.putDoubles(ck, prefix + "evalLoss", el);
        LabCheckpoints.putFlowHistory(ck, prefix + "flowHistory", history);
        if (guard != null) guard.save(ck);
    }

    /** Continues from {@link #save}; the run must have been built with the same config and spec. */
    void restore(Checkpoint ck, String prefix) {
        Object name = ck.getJson(prefix + "spec");
        if (!spec.name().equals(name)) {
            throw new IllegalArgumentException("checkpoint holds run " + name + " in progress, this experiment's next run is " + spec.name());
        }
        long s = ck.getLong(prefix + "step");
        if (s < 0 || s > maxSteps) {
            throw new IllegalArgumentException("checkpoint of run " + spec.name() + " is at step " + s + ", beyond --steps " + maxSteps);
        }
        ck.restoreModel(p);
        ck.restoreOptimizer(opt);
        ck.restoreRng(prefix + "data", dataRng);
        if (guard != null) guard.restore(ck);
        step = s;
        elapsedBefore = ck.getLong(prefix + "elapsedNanos");
        clockStart = System.nanoTime();
        stopped = ck.getLong(prefix + "stopped") != 0;
        divergedAt = ck.getLong(prefix + "divergedAt");
        reason = ck.hasJson(prefix + "reason") ? (String) ck.getJson(prefix + "reason") : null;
        lastEval = ck.getDouble(prefix + "lastEval");
        lastEvalStep = ck.getLong(prefix + "lastEvalStep");
        flowInit = LabCheckpoints.getMeasurement(ck, prefix + "flowInit");
        losses.set(LabCheckpoints.getFloats(ck, prefix + "trainLoss"));
        gradNorms.set(LabCheckpoints.getFloats(ck, prefix + "gradNorm"));
        if (losses.size() != step || gradNorms.size() != step) {
            throw new IllegalArgumentException("checkpoint of run " + spec.name() + " at step " + step + " holds " + losses.size()
                    + " training losses and " + gradNorms.size() + " gradient norms");
        }
        long[] es = LabCheckpoints.getLongs(ck, prefix + "evalSteps");
        double[] el = LabCheckpoints.getDoubles(ck, prefix + "evalLoss");
        if (es.length != el.length) throw new IllegalArgumentException("checkpoint of run " + spec.name() + ": evaluation steps and losses differ in number");
        evalSteps.clear();
        evalLosses.clear();
        for (int i = 0; i < es.length; i++) {
            evalSteps.add(es[i]);
            evalLosses.add(el[i]);
        }
        history.clear();
        history.addAll(LabCheckpoints.getFlowHistory(ck, prefix + "flowHistory"));
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

        int size() {
            return n;
        }

        void set(float[] values) {
            a = Arrays.copyOf(values, Math.max(1024, values.length));
            n = values.length;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
