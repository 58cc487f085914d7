package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Adam;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CrossEntropyLoss;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.DivergenceGuard;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.ReduceOnPlateau;
import org.rnn4j.train.ResumableLoop;
import org.rnn4j.train.TrainingRun;

/**
 * Trains a {@link LanguageModel} with stateful truncated backpropagation through time.
 *
 * <p>The training tokens are cut into B contiguous streams ({@link TokenStreams}). Each step runs T
 * steps of every stream forward from the state the previous batch ended in (its final h, c passed as
 * h0, c0 — gradients stop there), computes the mean cross-entropy of the next token, backpropagates,
 * clips the global gradient norm and takes an Adam step. The state is reset to zero at the start of
 * every epoch. This is the scheme of Zaremba et al. (2014) and char-rnn; data order is fixed, so the
 * same run in PyTorch sees the same batches in the same order.
 *
 * <p>Every {@code evalEvery} steps and at the end of each epoch the validation loss is measured with
 * {@link LmEvaluator}; the learning rate is multiplied by {@code lrDecay} after more than {@code
 * patience} evaluations without improvement ({@link ReduceOnPlateau}); a new best is saved at once to
 * the given path. With a time budget, training stops early enough for a last evaluation to fit. At the
 * end ({@link #result()}) the model holds the best validation weights.
 *
 * <p>A {@link DivergenceGuard} watches every step: a NaN or infinite loss or gradient norm skips the
 * update (the parameters are untouched) and halves the learning rate; five in a row, or an update that
 * makes a parameter non-finite, end training with a {@link DivergenceException}. A NaN validation loss is
 * never a new best, so a NaN never reaches the best-model file.
 *
 * <p><b>Resumable.</b> The loop's whole state is in fields, so it can stop after any step and continue bit
 * for bit ({@link ResumableLoop}): {@link #snapshot()} captures the parameters, Adam's moments, step count
 * and learning rate, the position (epoch, batch within the epoch), the hidden (and cell) state carried by
 * every stream, the dropout generator, the running training-loss sums, the plateau schedule's state, the
 * best validation loss with its step and weights, the evaluation history, the guard's counters, the time
 * spent (so a time budget counts the time of earlier runs) and whatever the {@link Listener} adds; {@link
 * #restore(Checkpoint)} puts it back. The data order is fixed, so nothing about it needs storing beyond the
 * position. Bit-identity holds for runs bounded by epochs; a time budget stops at a wall-clock-dependent
 * step, so a resumed run stops when the remaining budget is spent, not at the same step.
 */
public final class LmTrainer implements ResumableLoop {

    /** Progress callbacks, called on the training thread between steps (the model may be read, e.g. sampled). */
    public interface Listener {
        default void started(int stepsPerEpoch, long maxSteps, long trainTokensPerEpoch) {}

        /** After every step; {@code loss} is NaN or infinite for a step the divergence guard skipped. */
        default void step(long step, double epoch, double loss, double tokensPerSecond, double elapsedSeconds) {}

        default void evaluated(LmTrainResult.EvalPoint point) {}

        /** A one-line report from the divergence guard (a skipped step). */
        default void note(String line) {}

        /**
         * Adds the listener's own state to a checkpoint, so that a resumed run reports as the uninterrupted one
         * would (use keys that start with {@code listener.}).
         */
        default void save(Checkpoint ck) {}

        /** Reads back what {@link #save} stored. */
        default void restore(Checkpoint ck) {}
    }

    private final LanguageModel lm;
    private final Corpus corpus;
    private final LmTrainConfig cfg;
    private final Path bestModel;
    private final Listener ls;
    private final Parameters params;
    private final SequenceModel model;
    private final int vocab;
    private final int bsz;
    private final int seq;
    private final TokenStreams streams;
    private final int perEpoch;
    private final int stateSize;
    private final float[] h;
    private final float[] c;
    private final Optimizer opt;
    private final ReduceOnPlateau plateau;
    private final CrossEntropyLoss ce = new CrossEntropyLoss();
    private final LmEvaluator evaluator;
    private final Rng dropoutRng;
    private final DivergenceGuard guard;
    private final Map<Integer, Batch> batches = new HashMap<>();
    private boolean startedReported;
    private long sessionStart = System.nanoTime();

    // The state: everything below goes into a checkpoint.
    private long step;
    private int epoch;
    private int batch;
    private long tokens;
    private double lossSum;
    private long lossTokens;
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep;
    private float[] bestValues;
    private double lastTrain = Double.NaN;
    private final List<LmTrainResult.EvalPoint> history = new ArrayList<>();
    private String stopReason;
    private long trainNanos;
    private long elapsedBefore;
    private double lastEvalSeconds;

    /**
     * A trainer at step 0 for {@code lm} (trained in place) on {@code corpus}, whose vocabulary must be the model's.
     *
     * @param bestModel where to save each new best model (atomically), or null
     * @param listener  progress callbacks, or null
     * @throws IllegalArgumentException for a training text too short for the batch size, or another vocabulary
     */
    public LmTrainer(LanguageModel lm, Corpus corpus, LmTrainConfig cfg, Path bestModel, Listener listener) {
        if (corpus.vocabulary().size() != lm.vocabulary().size()) {
            throw new IllegalArgumentException("corpus vocabulary has " + corpus.vocabulary().size() + " tokens, the model "
                    + lm.vocabulary().size());
        }
        this.lm = lm;
        this.corpus = corpus;
        this.cfg = cfg;
        this.bestModel = bestModel;
        this.ls = listener != null ? listener : new Listener() {};
        this.model = lm.network();
        this.params = model.parameters();
        this.vocab = lm.vocabulary().size();
        this.bsz = cfg.batchSize();
        this.seq = cfg.seqLen();
        try {
            this.streams = new TokenStreams(corpus.tokens(), 0, corpus.trainEnd(), bsz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training text: " + e.getMessage().replace("batch size", "--batch-size"), e);
        }
        this.perEpoch = streams.batches(seq);
        RecurrentConfig rc = model.config().rnn();
        this.stateSize = rc.numLayers() * bsz * rc.hiddenSize();
        this.h = new float[stateSize];
        this.c = rc.cell() == CellKind.LSTM ? new float[stateSize] : null;
        this.opt = new Adam(Adam.Config.defaults().withLr(cfg.lr()), params);
        this.plateau = new ReduceOnPlateau(ReduceOnPlateau.Config.of(cfg.lrDecay(), cfg.patience(),
                LmTrainConfig.PLATEAU_THRESHOLD, 0));
        this.evaluator = new LmEvaluator(lm);
        this.dropoutRng = new Rng(cfg.seed());
        this.guard = new DivergenceGuard(DivergenceGuard.Config.defaults(), ls::note);
    }

    /**
     * Trains {@code lm} in place on {@code corpus} (whose vocabulary must be the model's) to the end.
     *
     * @param checkpoint where to save each new best model (atomically), or null
     * @throws IllegalArgumentException for a training text too short for the batch size
     * @throws DivergenceException if the loss or gradients stay NaN or infinite (the message names the step)
     * @throws IOException if writing the best model fails
     */
    public static LmTrainResult train(LanguageModel lm, Corpus corpus, LmTrainConfig cfg, Path checkpoint, Listener listener)
            throws IOException {
        LmTrainer t = new LmTrainer(lm, corpus, cfg, checkpoint, listener);
        t.run(null);
        return t.result();
    }

    /**
     * Runs the remaining steps. With a {@link TrainingRun}, checkpoints are written as it schedules them and a
     * stop request ends the loop after the current step (with a checkpoint).
     *
     * @return true when training is over (epochs done or time budget spent), false if it stopped on request
     * @throws DivergenceException if training diverged (see {@link DivergenceGuard})
     */
    @Override
    public boolean run(TrainingRun run) throws IOException {
        if (!startedReported) {
            startedReported = true;
            ls.started(perEpoch, (long) perEpoch * cfg.epochs(), streams.tokensPerEpoch());
        }
        while (!done()) {
            step();
            if (run != null && run.afterStep(step, this::snapshot)) return done();
        }
        return true;
    }

    /** True when every epoch has run or the time budget is spent. */
    public boolean done() {
        return stopReason != null;
    }

    /** Optimizer steps taken so far, skipped ones included. */
    public long steps() {
        return step;
    }

    /** Every evaluation so far. */
    public List<LmTrainResult.EvalPoint> history() {
        return List.copyOf(history);
    }

    public Optimizer optimizer() {
        return opt;
    }

    public DivergenceGuard guard() {
        return guard;
    }

    /** Wall-clock time of the run so far, earlier (interrupted) runs included. */
    public double elapsedSeconds() {
        return elapsedNanos() / 1e9;
    }

    private long elapsedNanos() {
        return elapsedBefore + (System.nanoTime() - sessionStart);
    }

    /**
     * The finished run's result; puts the best validation weights into the model (they stay there).
     *
     * @throws IllegalStateException if training is not over
     */
    public LmTrainResult result() {
        if (!done()) throw new IllegalStateException("training is not over: step " + step + ", epoch " + epoch);
        if (bestValues != null) System.arraycopy(bestValues, 0, params.values(), 0, bestValues.length);
        return new LmTrainResult(best, bestStep, lastTrain, tokens / (trainNanos / 1e9), (double) tokens / streams.tokensPerEpoch(),
                step, elapsedSeconds(), stopReason, opt.learningRate(), List.copyOf(history));
    }

    /** Runs one batch: the next one of the current epoch, starting a new epoch when needed; evaluates when due. */
    public void step() throws IOException {
        if (done()) throw new IllegalStateException("training is over (" + stopReason + ")");
        long s0 = System.nanoTime();
        if (batch == 0) {
            Arrays.fill(h, 0f);
            if (c != null) Arrays.fill(c, 0f);
        }
        int t = streams.batchLength(batch, seq);
        Batch b = batches.computeIfAbsent(t, len -> new Batch(model.newPass(bsz, len), bsz, len, vocab));
        streams.fill(batch, seq, b.x, b.y);
        float[] out = b.pass.forwardTokens(b.x, null, h, c, true, dropoutRng);
        // Carry the state to the next batch (a copy: the pass's buffers are rewritten next time).
        System.arraycopy(b.pass.hn(), 0, h, 0, stateSize);
        if (c != null) System.arraycopy(b.pass.cn(), 0, c, 0, stateSize);
        double loss = ce.lossAndGrad(out, 0, bsz * t, vocab, b.y, 0, b.dOut, 0);
        params.zeroGrad();
        b.pass.backward(b.dOut, null, null);
        step++;
        // clipNorm leaves non-finite gradients untouched and returns their norm, so the guard sees them.
        double norm = cfg.clipNorm() > 0 ? GradClip.clipNorm(params, cfg.clipNorm()) : GradClip.norm(params);
        if (guard.admit(step, loss, norm, opt)) {
            opt.step(params);
            guard.checkParameters(step, params);
            lossSum += loss * bsz * t;
            lossTokens += (long) bsz * t;
        } else if (!finite(h) || (c != null && !finite(c))) {
            // An overflowing forward pass must not poison the following batches (or a checkpoint): start the
            // streams afresh, as at an epoch start.
            Arrays.fill(h, 0f);
            if (c != null) Arrays.fill(c, 0f);
        }
        tokens += (long) bsz * t;
        trainNanos += System.nanoTime() - s0;
        double elapsed = elapsedSeconds();
        double epochs = (double) tokens / streams.tokensPerEpoch();
        ls.step(step, epochs, loss, tokens / (trainNanos / 1e9), elapsed);

        boolean endOfEpoch = batch == perEpoch - 1;
        // Stop while a last evaluation still fits; before the first one, guess its cost as a
        // forward-only pass (about a third of a training step per token) over the validation text.
        double evalGuess = lastEvalSeconds > 0 ? lastEvalSeconds * 1.1
                : corpus.validationTokens() / (3 * tokens / (trainNanos / 1e9));
        boolean outOfTime = cfg.timeBudget() != null
                && elapsed + evalGuess + trainNanos / 1e9 / step >= cfg.timeBudget().toNanos() / 1e9;
        if (endOfEpoch || outOfTime || (cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0)) evaluate(epochs);
        batch++;
        if (batch == perEpoch) {
            batch = 0;
            epoch++;
        }
        if (outOfTime) stopReason = "time budget";
        else if (epoch >= cfg.epochs()) stopReason = "epochs";
    }

    private void evaluate(double epochs) throws IOException {
        long e0 = System.nanoTime();
        double val = evaluator.evaluate(corpus.tokens(), corpus.trainEnd(), corpus.size()).loss();
        lastEvalSeconds = (System.nanoTime() - e0) / 1e9;
        lastTrain = lossSum / lossTokens; // NaN when every step since the last evaluation was skipped
        lossSum = 0;
        lossTokens = 0;
        boolean improved = val < best; // never for NaN
        if (improved) {
            best = val;
            bestStep = step;
            bestValues = params.values().clone();
            if (bestModel != null) {
                lm.training().put("step", step);
                lm.training().put("val_loss", val);
                lm.save(bestModel);
            }
        }
        double lr = opt.learningRate();
        plateau.step(val, opt);
        LmTrainResult.EvalPoint p = new LmTrainResult.EvalPoint(step, epochs, elapsedSeconds(), lastTrain, val, lr, improved);
        history.add(p);
        ls.evaluated(p);
    }

    private static boolean finite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) return false;
        }
        return true;
    }

    /** The loop's whole state after {@link #steps()} steps (see the class comment). */
    public Checkpoint snapshot() {
        RecurrentConfig rc = model.config().rnn();
        Checkpoint ck = new Checkpoint(step).putModel(params).putOptimizer(opt)
                .putLong("lm.epoch", epoch).putLong("lm.batch", batch)
                .putLong("lm.batchesPerEpoch", perEpoch).putLong("lm.streams", bsz).putLong("lm.streamLength", streams.streamLength())
                .putLong("lm.tokens", tokens).putDouble("lm.lossSum", lossSum).putLong("lm.lossTokens", lossTokens)
                .putDouble("lm.best", best).putLong("lm.bestStep", bestStep).putDouble("lm.lastTrain", lastTrain)
                .putJson("lm.stopReason", stopReason == null ? "" : stopReason)
                .putLong("lm.trainNanos", trainNanos).putLong("lm.elapsedNanos", elapsedNanos())
                .putDouble("lm.lastEvalSeconds", lastEvalSeconds)
                .putRng("lm.dropout", dropoutRng)
                .putArray("lm.h", h, rc.numLayers(), bsz, rc.hiddenSize());
        if (c != null) ck.putArray("lm.c", c, rc.numLayers(), bsz, rc.hiddenSize());
        ck.putLong("lm.hasBest", bestValues != null ? 1 : 0);
        if (bestValues != null) ck.putArray("lm.bestValues", bestValues);
        ReduceOnPlateau.State ps = plateau.state();
        ck.putDouble("lm.plateau.best", ps.best()).putLong("lm.plateau.numBadEpochs", ps.numBadEpochs())
                .putLong("lm.plateau.cooldownCounter", ps.cooldownCounter()).putLong("lm.plateau.lastEpoch", ps.lastEpoch());
        ck.putLong("lm.history", history.size());
        for (int i = 0; i < history.size(); i++) {
            LmTrainResult.EvalPoint p = history.get(i);
            String k = "lm.history." + i + ".";
            ck.putLong(k + "step", p.step()).putDouble(k + "epoch", p.epoch()).putDouble(k + "elapsedSeconds", p.elapsedSeconds())
                    .putDouble(k + "trainLoss", p.trainLoss()).putDouble(k + "valLoss", p.valLoss()).putDouble(k + "lr", p.lr())
                    .putLong(k + "best", p.best() ? 1 : 0);
        }
        guard.save(ck);
        ls.save(ck);
        return ck;
    }

    /**
     * Continues from a {@link #snapshot()} of a trainer with the same model, text and config ({@code epochs} and
     * the time budget may differ: a run can be given more).
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this trainer (another model, text or
     *     batch shape, or a position beyond {@code epochs})
     */
    @Override
    public void restore(Checkpoint ck) {
        if (ck.getLong("lm.streams") != bsz || ck.getLong("lm.streamLength") != streams.streamLength()
                || ck.getLong("lm.batchesPerEpoch") != perEpoch) {
            throw new IllegalArgumentException("checkpoint was made for " + ck.getLong("lm.streams") + " streams of "
                    + ck.getLong("lm.streamLength") + " tokens in " + ck.getLong("lm.batchesPerEpoch") + " batches per epoch, this run has "
                    + bsz + " streams of " + streams.streamLength() + " tokens in " + perEpoch);
        }
        int e = ck.getInt("lm.epoch"), b = ck.getInt("lm.batch");
        if (b < 0 || b >= perEpoch || e < 0) {
            throw new IllegalArgumentException("checkpoint position epoch " + e + ", batch " + b + " is outside this run ("
                    + perEpoch + " batches per epoch)");
        }
        if (e > cfg.epochs() || (e == cfg.epochs() && b > 0)) {
            throw new IllegalArgumentException("checkpoint is in epoch " + (e + 1) + ", beyond --epochs " + cfg.epochs());
        }
        int n = ck.getInt("lm.history");
        List<LmTrainResult.EvalPoint> hist = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = "lm.history." + i + ".";
            hist.add(new LmTrainResult.EvalPoint(ck.getLong(k + "step"), ck.getDouble(k + "epoch"), ck.getDouble(k + "elapsedSeconds"),
                    ck.getDouble(k + "trainLoss"), ck.getDouble(k + "valLoss"), ck.getDouble(k + "lr"), ck.getLong(k + "best") != 0));
        }
        float[] bestCopy = ck.getLong("lm.hasBest") != 0 ? new float[params.size()] : null;
        if (bestCopy != null) ck.copyArray("lm.bestValues", bestCopy);
        ReduceOnPlateau.State ps = new ReduceOnPlateau.State(ck.getDouble("lm.plateau.best"), ck.getInt("lm.plateau.numBadEpochs"),
                ck.getInt("lm.plateau.cooldownCounter"), ck.getInt("lm.plateau.lastEpoch"));
        // Everything read and checked; now change the trainer.
        ck.restoreModel(params);
        ck.restoreOptimizer(opt);
        guard.restore(ck);
        ck.restoreRng("lm.dropout", dropoutRng);
        ck.copyArray("lm.h", h);
        if (c != null) ck.copyArray("lm.c", c);
        plateau.loadState(ps);
        step = ck.step();
        epoch = e;
        batch = b;
        tokens = ck.getLong("lm.tokens");
        lossSum = ck.getDouble("lm.lossSum");
        lossTokens = ck.getLong("lm.lossTokens");
        best = ck.getDouble("lm.best");
        bestStep = ck.getLong("lm.bestStep");
        bestValues = bestCopy;
        lastTrain = ck.getDouble("lm.lastTrain");
        history.clear();
        history.addAll(hist);
        trainNanos = ck.getLong("lm.trainNanos");
        elapsedBefore = ck.getLong("lm.elapsedNanos");
        sessionStart = System.nanoTime();
        lastEvalSeconds = ck.getDouble("lm.lastEvalSeconds");
        // A run that had spent its time budget stays over; one that had run its epochs continues if given more.
        String reason = (String) ck.getJson("lm.stopReason");
        stopReason = "time budget".equals(reason) ? reason : epoch >= cfg.epochs() ? "epochs" : null;
        if (bestValues != null && bestModel != null) {
            lm.training().put("step", bestStep);
            lm.training().put("val_loss", best);
        }
        ls.restore(ck);
    }

    /** Buffers for batches of one length T (the last batch of an epoch may be shorter). */
    private static final class Batch {
        final ModelPass pass;
        final int[] x;
        final int[] y;
        final float[] dOut;

        Batch(ModelPass pass, int b, int t, int vocab) {
            this.pass = pass;
            this.x = new int[b * t];
            this.y = new int[b * t];
            this.dOut = new float[b * t * vocab];
        }
    }
}
