package org.rnn4j.apps.forecast;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.DivergenceGuard;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;
import org.rnn4j.train.ResumableLoop;
import org.rnn4j.train.TrainingRun;

/**
 * Trains forecasters: Adam on mini-batches of shuffled training windows, masked MSE on the last step's
 * K outputs (normalised units; with {@code lossSteps} > 1 on the outputs of the last lossSteps steps, each
 * against the targets {@code horizon} steps after its own step), gradient clipping, early stopping on the validation loss with the best
 * weights restored. Seeded: the same data and config give the same weights. An ensemble trains its
 * networks one after the other, network i seeded with {@code seed + 1000 i}.
 *
 * <p>Per step: one batch of the current epoch's permutation (full batches only; the few windows left
 * over are in another epoch's batches), forward with dropout, loss, backward, the {@link DivergenceGuard}
 * (a non-finite loss or gradient norm skips the update and halves the learning rate; 5 in a row stop the
 * run), clipping, one Adam step. After an epoch's last batch: the validation loss, early stopping, and
 * when the network is finished its best weights are put back and the next network starts.
 *
 * <p>The loop's whole state is explicit, so it can stop after any step and continue bit for bit
 * ({@link #snapshot()}, {@link #restore(Checkpoint)}, {@link #run(TrainingRun)}): the global step; the
 * finished networks (their best weights, loss curves and best epochs); for the network in training its
 * parameters, Adam's moments, step count and learning rate, the generator that draws both the window
 * order and the dropout masks (one generator, as before checkpoints existed, so results did not change),
 * the epoch's window order (each epoch shuffles the previous epoch's order, so the order itself is kept
 * rather than redrawn), epoch and batch position, the running loss of the epoch, the best validation
 * loss, its weights and the epochs since; the guard's counters; and the training time so far.
 *
 * <p>Options of {@link ForecastModelConfig}: {@code ema} keeps an exponential moving average of the weights
 * (updated after every admitted step, with the usual warm-up: the decay is at most {@code (1 + n) / (10 + n)}
 * after n updates, so the first epoch's average is not dominated by the random start); the validation,
 * the best weights and the finished network are then the averaged weights. {@code schedule} changes the
 * learning rate ({@link LrSchedule}); the divergence guard's halvings are kept on top of it. {@code refit}:
 * when early stopping has ended a network after choosing its best epoch E, a fresh network with the same
 * seed trains on the training and validation windows for E epochs with the same learning rates epoch by
 * epoch (no validation then: it is training data), and that network is kept. The averaged weights, the
 * learning rate the schedule set, the learning rate of every epoch so far, and the phase (choosing or
 * refitting) are checkpointed too.
 */
public final class ForecastTrainer implements ResumableLoop {

    /** Progress callbacks (all optional). */
    public interface Listener {
        default void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {}

        default void memberDone(int member, int bestEpoch, double bestValLoss) {}

        /** An epoch of the refit on training and validation windows (no validation loss: that is training data now). */
        default void refitEpochDone(int member, int epoch, int epochs, double trainLoss) {}

        /** A one-line report from the divergence guard (a skipped step). */
        default void note(String line) {}
    }

    /** The trained forecaster and its loss curves (per member: train and validation loss per epoch). */
    public record Result(Forecaster forecaster, List<List<Double>> trainLoss, List<List<Double>> valLoss, int[] bestEpoch) {}

    private static final String K = "forecast.";

    private final FeatureSpec spec;
    private final WindowSet train;
    private final WindowSet validation;
    private final WindowSet trainAndValidation; // null without refit
    private final LinearBaseline linearBase; // null unless cfg.linearBase(); fitted on the training windows, fixed
    private final ForecastModelConfig cfg;
    private final int bs;
    private int batchesPerEpoch; // of the windows trained on now (more while refitting)
    private final DivergenceGuard guard;
    private Listener listener = new Listener() {};

    // Finished networks, in order, with their best weights restored.
    private final List<SequenceModel> finished = new ArrayList<>();
    private final List<List<Double>> trainCurves = new ArrayList<>();
    private final List<List<Double>> valCurves = new ArrayList<>();
    private final List<Integer> bestEpochs = new ArrayList<>();

    // The network in training (null once all are finished) and its buffers.
    private SequenceModel model;
    private Forecaster shape;
    private Parameters params;
    private Optimizer adam;
    private ModelPass pass;
    private Batch batchBuffers;

    // The state: everything below goes into a checkpoint.
    private long step;
    private int member;
    private Rng rng;
    private int[] order;
    private WindowSet fitSet; // train, or train + validation while refitting
    private boolean refitting;
    private int refitEpochs; // the epochs to train while refitting: the best epoch of the choosing phase
    private float[] ema; // the averaged weights, null without ema
    private long emaUpdates;
    private float[] swap; // the live weights while the averaged ones are validated
    private double schedLr; // the learning rate the schedule set (the guard may have lowered the optimizer's below it)
    private List<Double> epochLr; // the scheduled learning rate of each epoch of the choosing phase (a refit replays it)
    private int epoch; // epochs finished by the current network
    private int batch; // batches done in the current epoch
    private double lossSum;
    private int lossCount;
    private float[] bestWeights;
    private double bestVal;
    private int sinceBest;
    private List<Double> trainCurve;
    private List<Double> valCurve;
    private long earlierNanos; // training time before this run() (earlier processes: from the checkpoint)
    private long resumedNanos; // the part of it that came from the checkpoint
    private long runningSince = -1; // System.nanoTime() when this process's run() started, -1 outside it

    /** A trainer at step 0 on the training and validation windows of {@code data}. */
    public ForecastTrainer(ForecastDataset data, ForecastModelConfig cfg) {
        this(data.spec(), data.train(), data.validation(), cfg);
    }

    /** On explicit windows (tests build poisoned ones). */
    ForecastTrainer(FeatureSpec spec, WindowSet train, WindowSet validation, ForecastModelConfig cfg) {
        if (train.isEmpty()) throw new IllegalArgumentException("no training windows: the series is too short for lookback + horizon");
        if (validation.isEmpty()) throw new IllegalArgumentException("no validation windows: the series is too short for lookback + horizon");
        if (cfg.lossSteps() > spec.lookback()) {
            throw new IllegalArgumentException("lossSteps must be <= lookback " + spec.lookback() + ", got " + cfg.lossSteps());
        }
        this.spec = spec;
        this.train = train;
        this.validation = validation;
        this.cfg = cfg;
        this.trainAndValidation = cfg.refit() ? train.concat("train+validation", validation) : null;
        // Deterministic (exact normal equations), so a resumed run refits the same model instead of checkpointing it.
        this.linearBase = cfg.linearBase() ? LinearBaseline.fit(train, validation) : null;
        int n = train.size();
        this.bs = Math.min(cfg.batchSize(), n);
        this.guard = new DivergenceGuard(DivergenceGuard.Config.defaults(), line -> listener.note(line));
        startMember();
    }

    /** Trains every network of {@code cfg} to the end. */
    public static Result train(ForecastDataset data, ForecastModelConfig cfg, Listener listener) {
        ForecastTrainer t = new ForecastTrainer(data, cfg).listener(listener);
        try {
            t.run(null);
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: no checkpoints without a TrainingRun", e);
        }
        return t.result();
    }

    public ForecastTrainer listener(Listener listener) {
        this.listener = listener == null ? new Listener() {} : listener;
        return this;
    }

    /**
     * Runs the remaining steps. With a {@link TrainingRun}, checkpoints are written as it schedules them and a
     * stop request ends the loop after the current step (with a checkpoint).
     *
     * @return true if every network is trained, false if it stopped on request
     * @throws org.rnn4j.train.DivergenceException if training diverged (see {@link DivergenceGuard})
     */
    @Override
    public boolean run(TrainingRun run) throws IOException {
        runningSince = System.nanoTime();
        try {
            while (!done()) {
                step();
                if (run != null && run.afterStep(step, this::snapshot)) return done();
            }
            return true;
        } finally {
            earlierNanos += System.nanoTime() - runningSince;
            runningSince = -1;
        }
    }

    /** True when every network is trained. */
    public boolean done() {
        return member >= cfg.ensemble();
    }

    /** Training steps (batches) taken so far over all networks, skipped ones included. */
    public long steps() {
        return step;
    }

    /** The network in training, 0-based ({@code ensemble} when done). */
    public int member() {
        return member;
    }

    /** Epochs finished by the network in training. */
    public int epoch() {
        return epoch;
    }

    /** The current network's live weights (tests compare them; not a copy). */
    float[] liveWeights() {
        return params.values();
    }

    /** The current network's averaged weights, null without ema (tests compare them; not a copy). */
    float[] averagedWeights() {
        return ema;
    }

    /** True while the current network is being refitted on training and validation windows. */
    public boolean refitting() {
        return refitting;
    }

    /** Optimizer steps per epoch of the windows trained on now: full batches only. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    public DivergenceGuard guard() {
        return guard;
    }

    /** The current network's optimizer (null when done). */
    public Optimizer optimizer() {
        return adam;
    }

    /** Wall-clock time spent in {@link #run} so far, including the interrupted processes before a resume. */
    public Duration trainingTime() {
        return Duration.ofNanos(earlierNanos + (runningSince < 0 ? 0 : System.nanoTime() - runningSince));
    }

    /** The training time of the interrupted processes this run continues (zero for a fresh run). */
    public Duration resumedTrainingTime() {
        return Duration.ofNanos(resumedNanos);
    }

    /** The trained forecaster; only when {@link #done()}. */
    public Result result() {
        if (!done()) throw new IllegalStateException("network " + (member + 1) + " of " + cfg.ensemble() + " is still training");
        List<List<Double>> tc = new ArrayList<>(), vc = new ArrayList<>();
        for (List<Double> c : trainCurves) tc.add(Collections.unmodifiableList(new ArrayList<>(c)));
        for (List<Double> c : valCurves) vc.add(Collections.unmodifiableList(new ArrayList<>(c)));
        int[] best = bestEpochs.stream().mapToInt(Integer::intValue).toArray();
        return new Result(new Forecaster(finished, spec, cfg.residual(), 0, linearBase), tc, vc, best);
    }

    /** Runs one batch of the current network, ending its epoch (and maybe the network) after the last batch. */
    public void step() {
        if (done()) throw new IllegalStateException("all " + cfg.ensemble() + " networks are trained");
        if (batch == 0) {
            rng.shuffle(order);
            if (refitting && cfg.schedule() != LrSchedule.COSINE) setScheduledLr(epochLr.get(epoch));
        }
        if (cfg.schedule() == LrSchedule.COSINE) {
            setScheduledLr(cfg.lr() * LrSchedule.cosine((epoch + batch / (double) batchesPerEpoch) / cfg.maxEpochs()));
        }
        System.arraycopy(order, batch * bs, batchBuffers.idx, 0, bs);
        batchBuffers.load(fitSet, shape);
        if (cfg.inputNoise() > 0) {
            // After the bases: the change is still measured from the true last value. From the one generator, so a
            // resumed run draws the same noise.
            float[] x = batchBuffers.x;
            for (int i = 0; i < x.length; i++) x[i] += (float) (cfg.inputNoise() * rng.nextGaussian());
        }
        float[] out = pass.forward(batchBuffers.x, null, null, null, true, rng);
        double loss = batchBuffers.lossAndGrad(out);
        params.zeroGrad();
        pass.backward(batchBuffers.dOut, null, null);
        step++;
        // clipNorm leaves non-finite gradients untouched and returns their norm, so the guard sees them.
        double norm = cfg.clipNorm() > 0 ? GradClip.clipNorm(params, cfg.clipNorm()) : GradClip.norm(params);
        if (guard.admit(step, loss, norm, adam)) {
            adam.step(params);
            guard.checkParameters(step, params);
            if (ema != null) updateEma();
            lossSum += loss;
            lossCount++;
        }
        batch++;
        if (batch == batchesPerEpoch) endEpoch();
    }

    /** Sets the learning rate the schedule wants, keeping the divergence guard's reductions on top of it. */
    private void setScheduledLr(double lr) {
        if (lr == schedLr) return;
        adam.setLearningRate(adam.learningRate() / schedLr * lr);
        schedLr = lr;
    }

    /** ema += (1 - d) (w - ema), with the decay d warming up from 0.1 so the random start fades fast. */
    private void updateEma() {
        emaUpdates++;
        double d = Math.min(cfg.ema(), (1.0 + emaUpdates) / (10.0 + emaUpdates));
        float a = (float) (1 - d);
        float[] w = params.values();
        for (int i = 0; i < w.length; i++) ema[i] += a * (w[i] - ema[i]);
    }

    /** The weights validated and kept: the average with ema, else the live ones. */
    private float[] keptWeights() {
        return ema != null ? ema : params.values();
    }

    /** The validation loss of the kept weights. */
    private double validationLoss() {
        if (ema == null) return loss(validation, model, shape, spec);
        float[] w = params.values();
        System.arraycopy(w, 0, swap, 0, w.length);
        System.arraycopy(ema, 0, w, 0, w.length);
        try {
            return loss(validation, model, shape, spec);
        } finally {
            System.arraycopy(swap, 0, w, 0, w.length);
        }
    }

    private void endEpoch() {
        double trainLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
        if (refitting) {
            epoch++;
            batch = 0;
            lossSum = 0;
            lossCount = 0;
            listener.refitEpochDone(member, epoch, refitEpochs, trainLoss);
            if (epoch >= refitEpochs) {
                if (ema != null) System.arraycopy(ema, 0, params.values(), 0, ema.length);
                completeMember();
            }
            return;
        }
        epochLr.add(schedLr);
        double val = validationLoss();
        trainCurve.add(trainLoss);
        valCurve.add(val);
        boolean improved = val < bestVal - 1e-7;
        if (improved) {
            bestVal = val;
            sinceBest = 0;
            System.arraycopy(keptWeights(), 0, bestWeights, 0, bestWeights.length);
        } else {
            sinceBest++;
            if (cfg.schedule() == LrSchedule.PLATEAU_RESTORE) {
                System.arraycopy(bestWeights, 0, params.values(), 0, bestWeights.length);
                if (ema != null) System.arraycopy(bestWeights, 0, ema, 0, bestWeights.length);
            }
            if (cfg.schedule() == LrSchedule.PLATEAU || cfg.schedule() == LrSchedule.PLATEAU_RESTORE) setScheduledLr(schedLr * 0.5);
        }
        epoch++;
        batch = 0;
        lossSum = 0;
        lossCount = 0;
        listener.epochDone(member, epoch, cfg.maxEpochs(), trainLoss, val, improved);
        if (sinceBest >= cfg.patience() || epoch >= cfg.maxEpochs()) finishMember();
    }

    private void finishMember() {
        System.arraycopy(bestWeights, 0, params.values(), 0, bestWeights.length);
        if (cfg.refit()) {
            startRefit(argmin(valCurve) + 1);
        } else {
            completeMember();
        }
    }

    /** Keeps the current network (its weights as they are) with its choosing-phase curves, and starts the next. */
    private void completeMember() {
        int bestEpoch = argmin(valCurve) + 1;
        finished.add(model);
        trainCurves.add(trainCurve);
        valCurves.add(valCurve);
        bestEpochs.add(bestEpoch);
        listener.memberDone(member, bestEpoch, valCurve.get(bestEpoch - 1));
        member++;
        startMember();
    }

    /** A fresh network with the member's seed, to train {@code epochs} epochs on training and validation windows. */
    private void startRefit(int epochs) {
        refitting = true;
        refitEpochs = epochs;
        epoch = 0;
        batch = 0;
        lossSum = 0;
        lossCount = 0;
        startNetwork(trainAndValidation);
    }

    /** Fresh state for network {@code member} (nothing when all are done). */
    private void startMember() {
        refitting = false;
        refitEpochs = 0;
        epochLr = new ArrayList<>();
        epoch = 0;
        batch = 0;
        lossSum = 0;
        lossCount = 0;
        bestVal = Double.POSITIVE_INFINITY;
        sinceBest = 0;
        trainCurve = new ArrayList<>();
        valCurve = new ArrayList<>();
        if (done()) {
            model = null;
            shape = null;
            params = null;
            adam = null;
            pass = null;
            batchBuffers = null;
            rng = null;
            bestWeights = null;
            ema = null;
            swap = null;
            fitSet = null;
            order = null;
            return;
        }
        startNetwork(train);
        bestWeights = params.values().clone();
    }

    /** A freshly initialised network with the member's seed, its optimizer and generator, to train on {@code windows}. */
    private void startNetwork(WindowSet windows) {
        long seed = memberSeed(member);
        model = newNetwork(seed);
        shape = new Forecaster(List.of(model), spec, cfg.residual(), 0, linearBase);
        params = model.parameters();
        adam = Optimizers.create(cfg.weightDecay() > 0 ? "adamw" : "adam", cfg.lr(), 0, cfg.weightDecay(), params);
        schedLr = cfg.lr();
        rng = new Rng(seed);
        fitSet = windows;
        order = new int[windows.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        batchesPerEpoch = windows.size() / bs;
        if (batchBuffers == null) batchBuffers = new Batch(bs, spec.lookback(), spec.featureCount(), spec.stepsAhead(), cfg.lossSteps());
        pass = model.newPass(bs, spec.lookback());
        ema = cfg.ema() > 0 ? params.values().clone() : null;
        swap = cfg.ema() > 0 ? new float[params.values().length] : null;
        emaUpdates = 0;
    }

    private long memberSeed(int m) {
        return cfg.seed() + 1000L * m;
    }

    private SequenceModel newNetwork(long seed) {
        RecurrentConfig rc = new RecurrentConfig(cfg.cell(), spec.featureCount(), cfg.hiddenSize(), cfg.layers(), false, true,
                cfg.dropout());
        return SequenceModel.create(new ModelConfig(rc, spec.stepsAhead(), 0), Init.PYTORCH, seed);
    }

    // ------------------------------------------------------------------ checkpoints

    /** The loop's whole state after {@link #steps()} steps. */
    public Checkpoint snapshot() {
        Checkpoint ck = new Checkpoint(step)
                .putLong(K + "windows", train.size()).putLong(K + "batchSize", bs).putLong(K + "ensemble", cfg.ensemble())
                .putLong(K + "member", member).putLong(K + "trainNanos", trainingTime().toNanos());
        for (int m = 0; m < finished.size(); m++) {
            String p = K + "done." + m + ".";
            ck.putArray(p + "weights", finished.get(m).parameters().values());
            ck.putLong(p + "bestEpoch", bestEpochs.get(m));
            putCurve(ck, p + "train", trainCurves.get(m));
            putCurve(ck, p + "val", valCurves.get(m));
        }
        if (!done()) {
            ck.putModel(params).putOptimizer(adam).putRng(K + "rng", rng).putInts(K + "order", order)
                    .putLong(K + "epoch", epoch).putLong(K + "batch", batch)
                    .putDouble(K + "lossSum", lossSum).putLong(K + "lossCount", lossCount)
                    .putArray(K + "bestWeights", bestWeights).putDouble(K + "bestVal", bestVal).putLong(K + "sinceBest", sinceBest);
            putCurve(ck, K + "train", trainCurve);
            putCurve(ck, K + "val", valCurve);
            ck.putLong(K + "refitting", refitting ? 1 : 0).putLong(K + "refitEpochs", refitEpochs).putDouble(K + "schedLr", schedLr);
            putCurve(ck, K + "epochLr", epochLr);
            if (ema != null) ck.putArray(K + "ema", ema).putLong(K + "emaUpdates", emaUpdates);
        }
        guard.save(ck);
        return ck;
    }

    /**
     * Continues from a {@link #snapshot()} of a trainer with the same data and config ({@code maxEpochs} may
     * differ: a raised limit trains the current network longer).
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this trainer
     */
    @Override
    public void restore(Checkpoint ck) {
        if (ck.getLong(K + "windows") != train.size() || ck.getLong(K + "batchSize") != bs
                || ck.getLong(K + "ensemble") != cfg.ensemble()) {
            throw new IllegalArgumentException("checkpoint was made for " + ck.getLong(K + "windows") + " training windows in batches of "
                    + ck.getLong(K + "batchSize") + " and " + ck.getLong(K + "ensemble") + " network(s); this run has " + train.size()
                    + " in batches of " + bs + " and " + cfg.ensemble());
        }
        int m = ck.getInt(K + "member");
        if (m < 0 || m > cfg.ensemble()) {
            throw new IllegalArgumentException("checkpoint is at network " + (m + 1) + ", outside this run's " + cfg.ensemble());
        }
        int e = 0, b = 0;
        // Checkpoints from before ema, schedules and refit hold none of their state: a plain run's.
        boolean refit = ck.hasLong(K + "refitting") && ck.getLong(K + "refitting") == 1;
        int refitE = ck.hasLong(K + "refitEpochs") ? ck.getInt(K + "refitEpochs") : 0;
        if (m < cfg.ensemble()) {
            e = ck.getInt(K + "epoch");
            b = ck.getInt(K + "batch");
            if (refit && (!cfg.refit() || refitE < 1 || e >= refitE)) {
                throw new IllegalArgumentException("checkpoint is in epoch " + (e + 1) + " of a refit over " + refitE
                        + " epochs, which this run " + (cfg.refit() ? "cannot continue" : "does not do (no refit)"));
            }
            if (cfg.ema() > 0 != ck.hasArray(K + "ema")) {
                throw new IllegalArgumentException("checkpoint " + (cfg.ema() > 0 ? "holds no" : "holds") + " averaged weights,"
                        + " this run " + (cfg.ema() > 0 ? "averages them (ema " + cfg.ema() + ")" : "does not average weights"));
            }
            int bpe = (refit ? train.size() + validation.size() : train.size()) / bs;
            if (e < 0 || b < 0 || b >= bpe) {
                throw new IllegalArgumentException("checkpoint position epoch " + (e + 1) + ", batch " + b + " is outside this run ("
                        + bpe + " batches per epoch)");
            }
            if (e >= cfg.maxEpochs()) {
                throw new IllegalArgumentException("checkpoint is in epoch " + (e + 1) + " of network " + (m + 1)
                        + ", beyond --epochs " + cfg.maxEpochs());
            }
        }
        finished.clear();
        trainCurves.clear();
        valCurves.clear();
        bestEpochs.clear();
        for (int i = 0; i < m; i++) {
            String p = K + "done." + i + ".";
            SequenceModel done = newNetwork(memberSeed(i));
            ck.copyArray(p + "weights", done.parameters().values());
            finished.add(done);
            bestEpochs.add(ck.getInt(p + "bestEpoch"));
            trainCurves.add(getCurve(ck, p + "train"));
            valCurves.add(getCurve(ck, p + "val"));
        }
        member = m;
        startMember();
        if (!done()) {
            if (refit) startRefit(refitE);
            ck.restoreModel(params);
            ck.restoreOptimizer(adam);
            ck.restoreRng(K + "rng", rng);
            int[] o = ck.getInts(K + "order");
            if (o.length != order.length) {
                throw new IllegalArgumentException("checkpoint window order has " + o.length + " entries, this run has "
                        + order.length + " training windows");
            }
            System.arraycopy(o, 0, order, 0, o.length);
            epoch = e;
            batch = b;
            lossSum = ck.getDouble(K + "lossSum");
            lossCount = ck.getInt(K + "lossCount");
            ck.copyArray(K + "bestWeights", bestWeights);
            bestVal = ck.getDouble(K + "bestVal");
            sinceBest = ck.getInt(K + "sinceBest");
            trainCurve = getCurve(ck, K + "train");
            valCurve = getCurve(ck, K + "val");
            if (ck.hasDouble(K + "schedLr")) schedLr = ck.getDouble(K + "schedLr");
            if (ck.hasLong(K + "epochLr")) epochLr = getCurve(ck, K + "epochLr");
            if (ema != null) {
                ck.copyArray(K + "ema", ema);
                emaUpdates = ck.getLong(K + "emaUpdates");
            }
        }
        guard.restore(ck);
        step = ck.step();
        earlierNanos = ck.getLong(K + "trainNanos");
        resumedNanos = earlierNanos;
    }

    private static void putCurve(Checkpoint ck, String name, List<Double> curve) {
        ck.putLong(name, curve.size());
        for (int i = 0; i < curve.size(); i++) ck.putDouble(name + "." + i, curve.get(i));
    }

    private static List<Double> getCurve(Checkpoint ck, String name) {
        int n = ck.getInt(name);
        List<Double> c = new ArrayList<>(n);
        for (int i = 0; i < n; i++) c.add(ck.getDouble(name + "." + i));
        return c;
    }

    /** Masked MSE in normalised units over all windows of a part, no dropout. */
    static double loss(WindowSet windows, SequenceModel model, Forecaster shape, FeatureSpec spec) {
        int n = windows.size(), l = spec.lookback(), f = spec.featureCount(), k = spec.stepsAhead();
        int bs = Math.min(256, n);
        Batch batch = new Batch(bs, l, f, k, 1);
        ModelPass pass = model.newPass(bs, l);
        double sum = 0, count = 0;
        for (int start = 0; start < n; start += bs) {
            int b = Math.min(bs, n - start);
            for (int j = 0; j < bs; j++) batch.idx[j] = start + Math.min(j, b - 1);
            batch.load(windows, shape);
            if (b < bs) java.util.Arrays.fill(batch.mask, b * k, bs * k, 0f); // padding rows do not count
            float[] out = pass.forward(batch.x, null, null, null, false, null);
            sum += batch.sumSquaredError(out);
            count += batch.maskSum();
        }
        return sum / Math.max(1, count);
    }

    private static int argmin(List<Double> v) {
        int best = 0;
        for (int i = 1; i < v.size(); i++) if (v.get(i) < v.get(best)) best = i;
        return best;
    }

    /**
     * Buffers of one mini-batch: inputs, targets relative to the base, mask, and the output gradient. Targets,
     * mask and base cover the outputs at the last {@code s} input steps ([B, s, K]; s = 1: the last step only).
     */
    private static final class Batch {
        final int bs, l, f, k, s;
        final int[] idx;
        final float[] x, y, mask, base, dOut;

        Batch(int bs, int l, int f, int k, int s) {
            this.bs = bs;
            this.l = l;
            this.f = f;
            this.k = k;
            this.s = s;
            idx = new int[bs];
            x = new float[bs * l * f];
            y = new float[bs * s * k];
            mask = new float[bs * s * k];
            base = new float[bs * s * k];
            dOut = new float[bs * l * k];
        }

        void load(WindowSet w, Forecaster shape) {
            if (s == 1) {
                w.copyBatch(idx, x, y, mask);
                shape.bases(x, bs, base);
            } else {
                w.copyBatch(idx, x, null, null);
                w.copyStepTargets(idx, s, y, mask);
                for (int b = 0; b < bs; b++) {
                    for (int t = 0; t < s; t++) java.util.Arrays.fill(base, (b * s + t) * k, (b * s + t + 1) * k, shape.baseAt(x, b, l - s + t));
                }
            }
            for (int i = 0; i < y.length; i++) y[i] -= base[i];
        }

        double maskSum() {
            double s = 0;
            for (float m : mask) s += m;
            return s;
        }

        /** Of the last step (validation batches have s = 1). */
        double sumSquaredError(float[] out) {
            double s = 0;
            for (int b = 0; b < bs; b++) {
                for (int q = 0; q < k; q++) {
                    double d = out[(b * l + l - 1) * k + q] - y[b * k + q];
                    s += mask[b * k + q] * d * d;
                }
            }
            return s;
        }

        /** Mean over observed targets; writes dOut (zero except at the last s steps). */
        double lossAndGrad(float[] out) {
            double count = Math.max(1, maskSum());
            java.util.Arrays.fill(dOut, 0f);
            double sum = 0;
            for (int b = 0; b < bs; b++) {
                for (int t = 0; t < s; t++) {
                    for (int q = 0; q < k; q++) {
                        int o = (b * l + l - s + t) * k + q;
                        int yi = (b * s + t) * k + q;
                        double d = out[o] - y[yi];
                        sum += mask[yi] * d * d;
                        dOut[o] = (float) (2 * mask[yi] * d / count);
                    }
                }
            }
            return sum / count;
        }
    }
}
