package org.rnn4j.apps.seq2seq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.nn.Parameters;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.DivergenceGuard;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;
import org.rnn4j.train.ResumableLoop;
import org.rnn4j.train.TrainingRun;

/**
 * Teacher-forced training with Adam, gradient-norm clipping, validation a few times per epoch,
 * learning-rate halving when validation loss stops improving, early stopping after {@code patience}
 * evaluations without improvement, and a time budget. The model ends with the parameters of the
 * best validation loss (or the last ones without validation data).
 *
 * <p>One step is one batch: forward, backward, the {@link DivergenceGuard} (a NaN or infinite loss or
 * gradient norm skips the update and halves the learning rate; five in a row stop training with a
 * {@link org.rnn4j.train.DivergenceException}), clipping, the Adam update, and — when one is due — a
 * validation with its early-stopping decision. Batches are length-bucketed and their order is drawn
 * afresh every epoch ({@link Batcher}) from the order generator; dropout draws from a second generator
 * split from it.
 *
 * <p>The loop's whole state is explicit, so that it can stop after any step and continue bit for bit
 * ({@link ResumableLoop}): {@link #snapshot()} holds the parameters, Adam's moments, step count and
 * learning rate (lowered by plateaus and by the guard), the epoch and the batch within it, the order
 * generator's state at the start of the epoch (the epoch's batches are redrawn from it), the dropout
 * generator, the running training-loss sums since the last validation, the validation history, the
 * best parameters with their index in the history, the patience counter, a stop decision already taken,
 * the guard's counters, the target-token count and the elapsed training time. Only the time budget
 * depends on the clock: a resumed run spends the rest of its budget, but where it stops is not
 * reproducible; step and epoch limits are.
 */
public final class Seq2SeqTrainer implements ResumableLoop {

    /**
     * @param batchSize        sentences per batch
     * @param epochs           upper bound on passes over the training data
     * @param timeBudget       stop (after the current batch, then a last evaluation) when exceeded; null = none
     * @param evalsPerEpoch    validations per epoch (≥ 1)
     * @param patience         stop after this many validations without improvement
     * @param decodeValidation greedy-decode up to this many validation sources at each validation for
     *                         error rates (0 = loss only)
     * @param lrPatience       halve the learning rate after every this many validations without
     *                         improvement (1 = at each one)
     */
    public record Options(int batchSize, int epochs, Duration timeBudget, long seed, double learningRate, double clipNorm,
                          int patience, int evalsPerEpoch, int decodeValidation, int lrPatience) {

        /** The learning rate halves at every validation without improvement. */
        public Options(int batchSize, int epochs, Duration timeBudget, long seed, double learningRate, double clipNorm,
                       int patience, int evalsPerEpoch, int decodeValidation) {
            this(batchSize, epochs, timeBudget, seed, learningRate, clipNorm, patience, evalsPerEpoch, decodeValidation, 1);
        }

        public Options {
            if (lrPatience <= 0) throw new IllegalArgumentException("lrPatience must be > 0, got " + lrPatience);
            if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
            if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
            if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clipNorm must be > 0, got " + clipNorm);
            if (patience <= 0) throw new IllegalArgumentException("patience must be > 0, got " + patience);
            if (evalsPerEpoch <= 0) throw new IllegalArgumentException("evalsPerEpoch must be > 0, got " + evalsPerEpoch);
            if (decodeValidation < 0) throw new IllegalArgumentException("decodeValidation must be >= 0, got " + decodeValidation);
        }
    }

    /**
     * One validation point. Error rates are null when not decoded; {@code trainLoss} is NaN when every
     * update since the previous validation was skipped by the divergence guard, {@code valLoss} when
     * there is no validation data.
     */
    public record Validation(int epoch, long step, double trainLoss, double valLoss, Double valTokenError,
                             Double valSequenceError, double learningRate, double seconds, boolean best) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("step", step);
            if (!Double.isNaN(trainLoss)) m.put("train_loss", trainLoss);
            if (!Double.isNaN(valLoss)) m.put("val_loss", valLoss);
            if (valTokenError != null) m.put("val_token_error_rate", valTokenError);
            if (valSequenceError != null) m.put("val_sequence_error_rate", valSequenceError);
            m.put("learning_rate", learningRate);
            m.put("seconds", seconds);
            m.put("best", best);
            return m;
        }
    }

    /** What happened. */
    public record Outcome(List<Validation> history, Validation best, long steps, double epochsDone, double seconds,
                          double targetTokensPerSecond, String stopReason) {}

    /** Hooks for progress display and saving; all optional. */
    public interface Listener {
        default void batch(int epoch, long stepInEpoch, long stepsPerEpoch, double loss, double tokensPerSecond) {}

        default void evaluated(Validation c) {}

        /** Called with the model holding its new best parameters (save it here). */
        default void improved(Seq2SeqModel model, Validation c) throws IOException {}

        /** One line from the divergence guard: a skipped step and the lowered learning rate. */
        default void note(String line) {}
    }

    private static final String K = "seq2seq.";

    private final Seq2SeqModel model;
    private final List<Example> train;
    private final Options o;
    private final Parameters p;
    private final Optimizer opt;
    private final Seq2SeqPass pass;
    private final List<Batch> valBatches;
    private final ValidationSet decodeSet;
    private final int valExamples;
    private final Rng orderRng;
    private final Rng dropRng;
    private final DivergenceGuard guard;
    private final int batchesPerEpoch;
    private final int evalEvery;
    private Listener listener = new Listener() {};

    // The state: everything below goes into a checkpoint (except the epoch's batches, redrawn from orderEpochStart).
    private long step;
    private int epoch;                 // epochs completed
    private int batch;                 // batches of the current epoch done
    private long orderEpochStart;      // orderRng's state before this epoch's batches were drawn
    private List<Batch> batches;       // this epoch's, in order; null between epochs
    private long tokens;
    private double lossSum;
    private long lossTokens;
    private final List<Validation> history = new ArrayList<>();
    private int bestIndex = -1;
    private float[] bestValues;
    private int bad;
    private double epochsDone;
    private String stopReason;
    private long elapsedBefore;        // training nanoseconds before the clock was last started
    private long clockStart;
    private boolean clockRunning;

    /** A trainer at step 0; the model is trained in place (it keeps its current parameters as the start). */
    public Seq2SeqTrainer(Seq2SeqModel model, List<Example> train, List<Example> val, Options o) {
        if (train.isEmpty()) throw new IllegalArgumentException("no training examples");
        this.model = model;
        this.train = List.copyOf(train);
        this.o = o;
        this.p = model.parameters();
        this.orderRng = new Rng(o.seed());
        this.dropRng = orderRng.split();
        this.opt = Optimizers.create("adam", o.learningRate(), 0, 0, p);
        this.pass = model.newPass();
        this.valBatches = val.isEmpty() ? List.of() : Batcher.batches(val, o.batchSize(), null);
        this.decodeSet = o.decodeValidation() > 0 && !val.isEmpty() ? ValidationSet.of(val, o.decodeValidation()) : null;
        this.valExamples = val.size();
        this.guard = new DivergenceGuard(DivergenceGuard.Config.defaults(), line -> listener.note(line));
        this.batchesPerEpoch = (train.size() + o.batchSize() - 1) / o.batchSize();
        this.evalEvery = Math.max(1, (batchesPerEpoch + o.evalsPerEpoch() - 1) / o.evalsPerEpoch());
        this.orderEpochStart = orderRng.state();
    }

    /** Trains {@code model} in place to the end, without checkpoints; the model ends with its best parameters. */
    public static Outcome train(Seq2SeqModel model, List<Example> train, List<Example> val, Options o, Listener listener)
            throws IOException {
        Seq2SeqTrainer t = new Seq2SeqTrainer(model, train, val, o).listener(listener);
        t.run(null);
        return t.finish();
    }

    public Seq2SeqTrainer listener(Listener listener) {
        this.listener = listener == null ? new Listener() {} : listener;
        return this;
    }

    /**
     * Runs the remaining steps. With a {@link TrainingRun}, checkpoints are written as it schedules them and
     * a stop request ends the loop after the current step (with a checkpoint).
     *
     * @return true when training is over (epochs done, early stop or time budget), false if it stopped on request
     * @throws org.rnn4j.train.DivergenceException if training diverged (see {@link DivergenceGuard})
     */
    @Override
    public boolean run(TrainingRun run) throws IOException {
        startClock();
        try {
            while (!done()) {
                step();
                if (run != null && run.afterStep(step, this::snapshot)) return done();
            }
            return true;
        } finally {
            stopClock();
        }
    }

    /** True when training is over: every epoch run, or stopped early (patience, time budget). */
    public boolean done() {
        return stopReason != null || epoch >= o.epochs();
    }

    /** Steps (batches) taken so far, skipped ones included. */
    public long steps() {
        return step;
    }

    public Optimizer optimizer() {
        return opt;
    }

    public DivergenceGuard guard() {
        return guard;
    }

    /** The validations so far. */
    public List<Validation> history() {
        return List.copyOf(history);
    }

    /** Runs one batch (and a validation when one is due), starting a new epoch when needed. */
    public void step() throws IOException {
        if (done()) throw new IllegalStateException("training is over: " + stopReason());
        startClock();
        if (batches == null) {
            orderEpochStart = orderRng.state();
            batches = Batcher.batches(train, o.batchSize(), orderRng);
        }
        Batch b = batches.get(batch);
        p.zeroGrad();
        double loss = pass.forward(b, true, dropRng);
        pass.backward();
        step++;
        // clipNorm leaves non-finite gradients untouched and returns their norm, so the guard sees them.
        double norm = GradClip.clipNorm(p, o.clipNorm());
        if (guard.admit(step, loss, norm, opt)) {
            opt.step(p);
            guard.checkParameters(step, p);
            lossSum += pass.lastLossSum();
            lossTokens += pass.lastTokenCount();
        }
        tokens += b.targetTokens();
        batch++;
        int n = batchesPerEpoch;
        listener.batch(epoch + 1, batch, n, loss, tokens / Math.max(1e-9, seconds()));
        boolean outOfTime = o.timeBudget() != null && elapsedNanos() > o.timeBudget().toNanos();
        if (batch % evalEvery == 0 || batch == n || outOfTime) validate(outOfTime);
        if (batch == n) {
            epoch++;
            batch = 0;
            batches = null;
        }
    }

    private void validate(boolean outOfTime) throws IOException {
        epochsDone = epoch + batch / (double) batchesPerEpoch;
        double trainLoss = lossTokens == 0 ? Double.NaN : lossSum / lossTokens;
        lossSum = 0;
        lossTokens = 0;
        double valLoss = Double.NaN;
        Double ter = null, ser = null;
        if (!valBatches.isEmpty()) {
            valLoss = validationLoss(pass, valBatches);
            if (decodeSet != null) {
                Evaluation.Result r = decodeSet.evaluate(model);
                ter = r.tokenErrorRate();
                ser = r.sequenceErrorRate();
            }
        }
        boolean improved = valBatches.isEmpty() || bestIndex < 0 || valLoss < history.get(bestIndex).valLoss();
        Validation c = new Validation(epoch + 1, step, trainLoss, valLoss, ter, ser, opt.learningRate(), seconds(), improved);
        history.add(c);
        listener.evaluated(c);
        if (improved) {
            bestIndex = history.size() - 1;
            bad = 0;
            if (bestValues == null) bestValues = new float[p.size()];
            System.arraycopy(p.values(), 0, bestValues, 0, bestValues.length);
            listener.improved(model, c);
        } else {
            bad++;
            // `bad` is in the checkpoint, so a resumed run halves at the same validations
            if (bad % o.lrPatience() == 0) opt.setLearningRate(opt.learningRate() * 0.5);
            if (bad >= o.patience()) {
                stopReason = "early stop: validation loss did not improve in " + bad + " evaluations";
                return;
            }
        }
        if (outOfTime) stopReason = "time budget " + o.timeBudget() + " used up";
    }

    /**
     * Ends training: puts the best parameters into the model and reports what happened.
     *
     * @throws IllegalStateException if training is not over ({@link #done()})
     */
    public Outcome finish() {
        if (!done()) throw new IllegalStateException("training is not over: epoch " + (epoch + 1) + " of " + o.epochs());
        if (bestValues != null) System.arraycopy(bestValues, 0, p.values(), 0, bestValues.length);
        double secs = seconds();
        return new Outcome(List.copyOf(history), bestIndex < 0 ? null : history.get(bestIndex), step, epochsDone, secs,
                tokens / Math.max(1e-9, secs), stopReason());
    }

    private String stopReason() {
        return stopReason != null ? stopReason : "finished " + o.epochs() + " epochs";
    }

    // ------------------------------------------------------------------ the training clock (for the time budget)

    private void startClock() {
        if (!clockRunning) {
            clockStart = System.nanoTime();
            clockRunning = true;
        }
    }

    private void stopClock() {
        elapsedBefore = elapsedNanos();
        clockRunning = false;
    }

    private long elapsedNanos() {
        return elapsedBefore + (clockRunning ? System.nanoTime() - clockStart : 0);
    }

    private double seconds() {
        return elapsedNanos() / 1e9;
    }

    // ------------------------------------------------------------------ checkpoints

    /** The trainer's whole state after {@link #steps()} steps. */
    public Checkpoint snapshot() {
        Checkpoint ck = new Checkpoint(step).putModel(p).putOptimizer(opt)
                .putLong(K + "examples", train.size()).putLong(K + "valExamples", valExamples)
                .putLong(K + "batchSize", o.batchSize()).putLong(K + "batchesPerEpoch", batchesPerEpoch)
                .putLong(K + "epoch", epoch).putLong(K + "batch", batch)
                // Between epochs the generator is already at the next epoch's start; mid-epoch, its start is remembered.
                .putRng(K + "orderEpochStart", new Rng(batches == null ? orderRng.state() : orderEpochStart))
                .putRng(K + "dropout", dropRng)
                .putLong(K + "tokens", tokens).putDouble(K + "lossSum", lossSum).putLong(K + "lossTokens", lossTokens)
                .putLong(K + "bad", bad).putLong(K + "bestIndex", bestIndex).putDouble(K + "epochsDone", epochsDone)
                .putLong(K + "elapsedNanos", elapsedNanos())
                .putLong(K + "history", history.size());
        if (stopReason != null) ck.putJson(K + "stopReason", stopReason);
        if (bestValues != null) ck.putArray(K + "best", bestValues);
        for (int i = 0; i < history.size(); i++) {
            Validation v = history.get(i);
            String h = K + "history." + i + ".";
            ck.putLong(h + "epoch", v.epoch()).putLong(h + "step", v.step()).putDouble(h + "trainLoss", v.trainLoss())
                    .putDouble(h + "valLoss", v.valLoss())
                    .putDouble(h + "valTokenError", v.valTokenError() == null ? Double.NaN : v.valTokenError())
                    .putDouble(h + "valSequenceError", v.valSequenceError() == null ? Double.NaN : v.valSequenceError())
                    .putDouble(h + "learningRate", v.learningRate()).putDouble(h + "seconds", v.seconds())
                    .putLong(h + "best", v.best() ? 1 : 0);
        }
        guard.save(ck);
        return ck;
    }

    /**
     * Continues from a {@link #snapshot()} of a trainer with the same model, data and options ({@code epochs}
     * and {@code timeBudget} may differ: training longer continues the same trajectory).
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this trainer (other model, data or batch size)
     */
    @Override
    public void restore(Checkpoint ck) {
        if (ck.getLong(K + "examples") != train.size() || ck.getLong(K + "valExamples") != valExamples
                || ck.getLong(K + "batchSize") != o.batchSize() || ck.getLong(K + "batchesPerEpoch") != batchesPerEpoch) {
            throw new IllegalArgumentException("checkpoint was made for " + ck.getLong(K + "examples") + " training and "
                    + ck.getLong(K + "valExamples") + " validation pairs in batches of " + ck.getLong(K + "batchSize")
                    + ", this run has " + train.size() + " and " + valExamples + " in batches of " + o.batchSize());
        }
        int e = ck.getInt(K + "epoch"), b = ck.getInt(K + "batch");
        String stop = ck.hasJson(K + "stopReason") ? ck.getJson(K + "stopReason").toString() : null;
        if (e < 0 || b < 0 || b >= batchesPerEpoch) {
            throw new IllegalArgumentException("checkpoint position epoch " + (e + 1) + ", batch " + b + " is outside this run ("
                    + batchesPerEpoch + " batches per epoch)");
        }
        if (stop == null && (e > o.epochs() || (e == o.epochs() && b > 0))) {
            throw new IllegalArgumentException("checkpoint is at epoch " + (e + 1) + ", beyond --epochs " + o.epochs());
        }
        int h = ck.getInt(K + "history"), best = ck.getInt(K + "bestIndex");
        if (best < -1 || best >= h) throw new IllegalArgumentException("checkpoint best validation " + best + " is outside its history of " + h);
        ck.restoreModel(p);
        ck.restoreOptimizer(opt);
        guard.restore(ck);
        ck.restoreRng(K + "dropout", dropRng);
        ck.restoreRng(K + "orderEpochStart", orderRng);
        step = ck.step();
        epoch = e;
        batch = b;
        orderEpochStart = orderRng.state();
        // Mid-epoch: redraw this epoch's batches, which also moves the order generator to where it was.
        batches = batch > 0 ? Batcher.batches(train, o.batchSize(), orderRng) : null;
        tokens = ck.getLong(K + "tokens");
        lossSum = ck.getDouble(K + "lossSum");
        lossTokens = ck.getLong(K + "lossTokens");
        bad = ck.getInt(K + "bad");
        bestIndex = best;
        epochsDone = ck.getDouble(K + "epochsDone");
        stopReason = stop;
        elapsedBefore = ck.getLong(K + "elapsedNanos");
        clockRunning = false;
        history.clear();
        for (int i = 0; i < h; i++) {
            String k = K + "history." + i + ".";
            double ter = ck.getDouble(k + "valTokenError"), ser = ck.getDouble(k + "valSequenceError");
            history.add(new Validation(ck.getInt(k + "epoch"), ck.getLong(k + "step"), ck.getDouble(k + "trainLoss"),
                    ck.getDouble(k + "valLoss"), Double.isNaN(ter) ? null : ter, Double.isNaN(ser) ? null : ser,
                    ck.getDouble(k + "learningRate"), ck.getDouble(k + "seconds"), ck.getLong(k + "best") != 0));
        }
        if (ck.hasArray(K + "best")) {
            bestValues = new float[p.size()];
            ck.copyArray(K + "best", bestValues);
        } else {
            bestValues = null;
        }
    }

    /** Mean token cross-entropy over a set of batches, no dropout. */
    public static double validationLoss(Seq2SeqPass pass, List<Batch> batches) {
        double sum = 0;
        long count = 0;
        for (Batch b : batches) {
            pass.forward(b, false, null);
            sum += pass.lastLossSum();
            count += pass.lastTokenCount();
        }
        return sum / Math.max(1, count);
    }

    /** A fixed sample of validation sources with all their references, as ids, for greedy error rates. */
    record ValidationSet(List<int[]> sources, List<List<List<String>>> references) {
        static ValidationSet of(List<Example> val, int limit) {
            Map<String, Integer> index = new LinkedHashMap<>();
            List<int[]> sources = new ArrayList<>();
            List<List<List<String>>> refs = new ArrayList<>();
            for (Example e : val) {
                String key = Arrays.toString(e.source());
                Integer i = index.get(key);
                if (i == null) {
                    if (sources.size() >= limit) continue;
                    i = sources.size();
                    index.put(key, i);
                    sources.add(e.source());
                    refs.add(new ArrayList<>());
                }
                refs.get(i).add(idStrings(e.target()));
            }
            return new ValidationSet(sources, refs);
        }

        Evaluation.Result evaluate(Seq2SeqModel model) {
            int longest = 0;
            for (List<List<String>> r : references) for (List<String> x : r) longest = Math.max(longest, x.size());
            Translator t = new Translator(model, 1, 2 * longest + 10, 0, 64, false);
            List<List<String>> outs = new ArrayList<>();
            for (Translator.Result r : t.translate(sources)) outs.add(idStrings(r.ids()));
            return Evaluation.evaluate(outs, references, false);
        }

        static List<String> idStrings(int[] ids) {
            List<String> out = new ArrayList<>(ids.length);
            for (int id : ids) out.add(Integer.toString(id));
            return out;
        }
    }
}
