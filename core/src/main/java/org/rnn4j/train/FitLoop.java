package org.rnn4j.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * Mini-batch training of a {@link SequenceModel} on in-memory sequences: the loop under {@code rnn4j fit}.
 *
 * <p>Per batch: forward, loss and its gradient, backward, the {@link DivergenceGuard} (a non-finite loss or
 * gradient skips the update), optional clipping, one optimizer step. With shuffling off, batches are rows
 * [0, bs), [bs, 2bs), ... in order, which makes a run comparable step for step with the same loop in PyTorch.
 * With shuffling on, each epoch's order is a fresh permutation of the rows drawn from the shuffle generator
 * (seeded with {@code seed}); dropout draws from a second generator split from it.
 *
 * <p>The loop's whole state is explicit so that it can stop after any step and continue bit for bit:
 * {@link #snapshot()} captures it (parameters, optimizer, step, epoch, batch index within the epoch, the
 * shuffle generator's state at the start of the epoch — from which the permutation is redrawn — the dropout
 * generator's state, the running loss of the epoch, the epoch history and the guard's counters), and
 * {@link #restore(Checkpoint)} puts it back. {@link #run(TrainingRun)} drives it with checkpoints and Ctrl-C.
 */
public final class FitLoop implements ResumableLoop {

    /** Called after every epoch with the mean training loss of that epoch (over the steps that were applied). */
    public interface Listener {
        void epochDone(int epoch, double meanLoss, long steps);

        /** A one-line report from the divergence guard (a skipped step). */
        default void note(String line) {}
    }

    /** Inputs and targets, batch-first. Exactly one of floatTargets / classTargets is set. */
    public record Data(float[] x, int rows, int time, int features, float[] floatTargets, int[] classTargets, int[] lengths) {
        public Data {
            if (rows <= 0 || time <= 0 || features <= 0) {
                throw new IllegalArgumentException("data must have rows, time and features > 0, got " + rows + ", " + time + ", " + features);
            }
            if (x.length != rows * time * features) throw new IllegalArgumentException("x has " + x.length + " values, expected rows*time*features");
            if ((floatTargets == null) == (classTargets == null)) throw new IllegalArgumentException("give exactly one of float or class targets");
            if (lengths != null && lengths.length != rows) throw new IllegalArgumentException("lengths: expected " + rows + " values, got " + lengths.length);
        }
    }

    private final SequenceModel model;
    private final Data data;
    private final FitConfig cfg;
    private final Parameters params;
    private final Optimizer opt;
    private final CrossEntropyLoss ce = new CrossEntropyLoss();
    private final Rng shuffleRng;
    private final Rng dropoutRng;
    private final DivergenceGuard guard;
    private final Map<Integer, ModelPass> passes = new HashMap<>();
    private final int outSize;
    private final int bs;
    private final int batchesPerEpoch;
    private final int[] order;
    private final float[] xb;
    private final float[] yb;
    private final int[] cb;
    private final int[] lb;
    private final float[] dOut;
    private Listener listener;

    // The state: everything below goes into a checkpoint.
    private long step;
    private int epoch;
    private int batch;
    private long shuffleEpochStart;
    private double lossSum;
    private int lossCount;
    private final List<Double> history = new ArrayList<>();

    /** A loop at step 0 over {@code data}; the model is trained in place. */
    public FitLoop(SequenceModel model, Data data, FitConfig cfg) {
        this.model = model;
        this.data = data;
        this.cfg = cfg;
        this.outSize = model.outputSize();
        if (data.features() != model.config().rnn().inputSize()) {
            throw new IllegalArgumentException("input has " + data.features() + " features per step, the model expects "
                    + model.config().rnn().inputSize());
        }
        if (data.floatTargets() != null && data.floatTargets().length != data.rows() * data.time() * outSize) {
            throw new IllegalArgumentException("target: expected (" + data.rows() + ", " + data.time() + ", " + outSize
                    + ") = (rows, time, model outputs) values for mse, got " + data.floatTargets().length);
        }
        if (data.classTargets() != null && data.classTargets().length != data.rows() * data.time()) {
            throw new IllegalArgumentException("target: expected (" + data.rows() + ", " + data.time()
                    + ") = (rows, time) class ids for cross-entropy, got " + data.classTargets().length);
        }
        this.params = model.parameters();
        this.opt = Optimizers.create(cfg.optimizer(), cfg.lr(), cfg.momentum(), cfg.weightDecay(), params);
        this.shuffleRng = new Rng(cfg.seed());
        this.dropoutRng = new Rng(cfg.seed()).split();
        this.guard = new DivergenceGuard(DivergenceGuard.Config.defaults(), line -> {
            if (listener != null) listener.note(line);
        });
        int n = data.rows(), t = data.time(), f = data.features();
        this.bs = Math.min(cfg.batchSize(), n);
        this.batchesPerEpoch = (n + bs - 1) / bs;
        this.order = new int[n];
        this.xb = new float[bs * t * f];
        this.yb = data.floatTargets() != null ? new float[bs * t * outSize] : null;
        this.cb = data.classTargets() != null ? new int[bs * t] : null;
        this.lb = data.lengths() != null ? new int[bs] : null;
        this.dOut = new float[bs * t * outSize];
        this.shuffleEpochStart = shuffleRng.state();
    }

    /** Trains {@code model} in place; returns the mean loss of every epoch. */
    public static List<Double> fit(SequenceModel model, Data data, FitConfig cfg, Listener listener) {
        FitLoop loop = new FitLoop(model, data, cfg).listener(listener);
        try {
            loop.run(null);
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: no checkpoints without a TrainingRun", e);
        }
        return loop.history();
    }

    public FitLoop listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Runs the remaining steps. With a {@link TrainingRun}, checkpoints are written as it schedules them and a
     * stop request ends the loop after the current step (with a checkpoint).
     *
     * @return true if all epochs are done, false if it stopped on request
     * @throws DivergenceException if training diverged (see {@link DivergenceGuard})
     */
    @Override
    public boolean run(TrainingRun run) throws IOException {
        while (!done()) {
            step();
            if (run != null && run.afterStep(step, this::snapshot)) return done();
        }
        return true;
    }

    /** True when every epoch has been run. */
    public boolean done() {
        return epoch >= cfg.epochs();
    }

    /** Training steps (batches) taken so far, skipped ones included. */
    public long steps() {
        return step;
    }

    /** The epoch in progress, 0-based ({@code epochs} when done). */
    public int epoch() {
        return epoch;
    }

    /** Mean training loss of every finished epoch. */
    public List<Double> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    public Optimizer optimizer() {
        return opt;
    }

    public DivergenceGuard guard() {
        return guard;
    }

    /** Runs one batch: the next one of the current epoch, starting a new epoch when needed. */
    public void step() {
        if (done()) throw new IllegalStateException("all " + cfg.epochs() + " epochs are done");
        if (batch == 0) {
            shuffleEpochStart = shuffleRng.state();
            drawOrder();
        }
        int n = data.rows(), t = data.time(), f = data.features();
        int start = batch * bs;
        int b = Math.min(bs, n - start);
        for (int r = 0; r < b; r++) {
            int row = order[start + r];
            System.arraycopy(data.x(), row * t * f, xb, r * t * f, t * f);
            if (yb != null) System.arraycopy(data.floatTargets(), row * t * outSize, yb, r * t * outSize, t * outSize);
            if (cb != null) System.arraycopy(data.classTargets(), row * t, cb, r * t, t);
            if (lb != null) lb[r] = data.lengths()[row];
        }
        ModelPass pass = passes.computeIfAbsent(b, k -> model.newPass(k, t).inputGradient(false));
        float[] x = b == bs ? xb : Arrays.copyOf(xb, b * t * f);
        int[] lengths = lb == null ? null : (b == bs ? lb : Arrays.copyOf(lb, b));
        float[] out = pass.forward(x, lengths, null, null, true, dropoutRng);
        float[] d = b == bs ? dOut : new float[b * t * outSize];
        double loss = cfg.crossEntropy()
                ? ce.lossAndGrad(out, 0, b * t, outSize, cb, 0, d, 0)
                : MseLoss.lossAndGrad(out, 0, yb, 0, b * t * outSize, d, 0);
        params.zeroGrad();
        pass.backward(d, null, null);
        step++;
        // clipNorm leaves non-finite gradients untouched and returns their norm, so the guard sees them.
        double norm = cfg.clipNorm() > 0 ? GradClip.clipNorm(params, cfg.clipNorm()) : GradClip.norm(params);
        if (guard.admit(step, loss, norm, opt)) {
            if (cfg.clipValue() > 0) GradClip.clipValue(params, cfg.clipValue());
            opt.step(params);
            guard.checkParameters(step, params);
            lossSum += loss;
            lossCount++;
        }
        batch++;
        if (batch == batchesPerEpoch) {
            double mean = lossCount == 0 ? Double.NaN : lossSum / lossCount;
            history.add(mean);
            epoch++;
            batch = 0;
            lossSum = 0;
            lossCount = 0;
            if (listener != null) listener.epochDone(epoch, mean, opt.steps());
        }
    }

    /** This epoch's row order: the identity, shuffled by the shuffle generator if shuffling is on. */
    private void drawOrder() {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (cfg.shuffle()) shuffleRng.shuffle(order);
    }

    /** The loop's whole state after {@link #steps()} steps. */
    public Checkpoint snapshot() {
        Checkpoint ck = new Checkpoint(step).putModel(params).putOptimizer(opt)
                .putLong("fit.epoch", epoch).putLong("fit.batch", batch)
                .putLong("fit.rows", data.rows()).putLong("fit.batchSize", bs)
                .putDouble("fit.lossSum", lossSum).putLong("fit.lossCount", lossCount)
                .putLong("fit.history", history.size())
                .putRng("fit.dropout", dropoutRng);
        // Between epochs the generator is already at the next epoch's start; mid-epoch, its start is remembered.
        ck.putRng("fit.shuffleEpochStart", new Rng(batch == 0 ? shuffleRng.state() : shuffleEpochStart));
        for (int i = 0; i < history.size(); i++) ck.putDouble("fit.history." + i, history.get(i));
        guard.save(ck);
        return ck;
    }

    /**
     * Continues from a {@link #snapshot()} of a loop with the same model, data and config.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this loop (other model, data size or
     *     batch size)
     */
    @Override
    public void restore(Checkpoint ck) {
        if (ck.getLong("fit.rows") != data.rows() || ck.getLong("fit.batchSize") != bs) {
            throw new IllegalArgumentException("checkpoint was made for " + ck.getLong("fit.rows") + " rows in batches of "
                    + ck.getLong("fit.batchSize") + ", this run has " + data.rows() + " rows in batches of " + bs);
        }
        int e = ck.getInt("fit.epoch"), b = ck.getInt("fit.batch");
        if (b < 0 || b >= batchesPerEpoch || e < 0) {
            throw new IllegalArgumentException("checkpoint position epoch " + e + ", batch " + b + " is outside this run ("
                    + batchesPerEpoch + " batches per epoch)");
        }
        if (e > cfg.epochs() || (e == cfg.epochs() && b > 0)) {
            throw new IllegalArgumentException("checkpoint is at epoch " + (e + 1) + ", beyond --epochs " + cfg.epochs());
        }
        ck.restoreModel(params);
        ck.restoreOptimizer(opt);
        guard.restore(ck);
        ck.restoreRng("fit.dropout", dropoutRng);
        ck.restoreRng("fit.shuffleEpochStart", shuffleRng);
        step = ck.step();
        epoch = e;
        batch = b;
        shuffleEpochStart = shuffleRng.state();
        lossSum = ck.getDouble("fit.lossSum");
        lossCount = ck.getInt("fit.lossCount");
        history.clear();
        int h = ck.getInt("fit.history");
        for (int i = 0; i < h; i++) history.add(ck.getDouble("fit.history." + i));
        // Mid-epoch: redraw this epoch's permutation, which also moves the generator to where it was.
        if (batch > 0) drawOrder();
    }
}
