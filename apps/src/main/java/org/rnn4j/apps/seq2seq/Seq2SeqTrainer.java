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
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;

/**
 * Teacher-forced training with Adam, gradient-norm clipping, validation a few times per epoch,
 * learning-rate halving when validation loss stops improving, early stopping after {@code patience}
 * evaluations without improvement, and a time budget. The model ends with the parameters of the
 * best validation loss (or the last ones without validation data).
 */
public final class Seq2SeqTrainer {

    /**
     * @param batchSize        sentences per batch
     * @param epochs           upper bound on passes over the training data
     * @param timeBudget       stop (after the current batch, then a last evaluation) when exceeded; null = none
     * @param evalsPerEpoch    validations per epoch (≥ 1)
     * @param patience         stop after this many validations without improvement
     * @param decodeValidation greedy-decode up to this many validation sources at each validation for
     *                         error rates (0 = loss only)
     */
    public record Options(int batchSize, int epochs, Duration timeBudget, long seed, double learningRate, double clipNorm,
                          int patience, int evalsPerEpoch, int decodeValidation) {
        public Options {
            if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
            if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
            if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clipNorm must be > 0, got " + clipNorm);
            if (patience <= 0) throw new IllegalArgumentException("patience must be > 0, got " + patience);
            if (evalsPerEpoch <= 0) throw new IllegalArgumentException("evalsPerEpoch must be > 0, got " + evalsPerEpoch);
            if (decodeValidation < 0) throw new IllegalArgumentException("decodeValidation must be >= 0, got " + decodeValidation);
        }
    }

    /** One validation point. Error rates are null when not decoded. */
    public record Checkpoint(int epoch, long step, double trainLoss, double valLoss, Double valTokenError, Double valSequenceError,
                             double learningRate, double seconds, boolean best) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("step", step);
            m.put("train_loss", trainLoss);
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
    public record Outcome(List<Checkpoint> history, Checkpoint best, long steps, double epochsDone, double seconds,
                          double targetTokensPerSecond, String stopReason) {}

    /** Hooks for progress display and saving; all optional. */
    public interface Listener {
        default void batch(int epoch, long stepInEpoch, long stepsPerEpoch, double loss, double tokensPerSecond) {}

        default void evaluated(Checkpoint c) {}

        /** Called with the model holding its new best parameters (save it here). */
        default void improved(Seq2SeqModel model, Checkpoint c) throws IOException {}
    }

    private Seq2SeqTrainer() {}

    public static Outcome train(Seq2SeqModel model, List<Example> train, List<Example> val, Options o, Listener listener)
            throws IOException {
        if (train.isEmpty()) throw new IllegalArgumentException("no training examples");
        Listener l = listener == null ? new Listener() {} : listener;
        Rng rng = new Rng(o.seed());
        Rng dropRng = rng.split();
        Parameters p = model.parameters();
        Optimizer opt = Optimizers.create("adam", o.learningRate(), 0, 0, p);
        Seq2SeqPass pass = model.newPass();
        List<Batch> valBatches = val.isEmpty() ? List.of() : Batcher.batches(val, o.batchSize(), null);
        ValidationSet decodeSet = o.decodeValidation() > 0 && !val.isEmpty() ? ValidationSet.of(val, o.decodeValidation()) : null;
        long start = System.nanoTime();
        long deadline = o.timeBudget() == null ? Long.MAX_VALUE : start + o.timeBudget().toNanos();
        List<Checkpoint> history = new ArrayList<>();
        Checkpoint best = null;
        float[] bestValues = null;
        int bad = 0;
        long steps = 0, tokens = 0;
        double lossSum = 0;
        long lossTokens = 0;
        String stop = "finished " + o.epochs() + " epochs";
        double epochsDone = 0;
        outer:
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            List<Batch> batches = Batcher.batches(train, o.batchSize(), rng);
            int n = batches.size();
            int evalEvery = Math.max(1, (n + o.evalsPerEpoch() - 1) / o.evalsPerEpoch());
            for (int i = 0; i < n; i++) {
                Batch b = batches.get(i);
                p.zeroGrad();
                double loss = pass.forward(b, true, dropRng);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged: loss " + loss + " at step " + (steps + 1) + "; lower --lr");
                }
                pass.backward();
                GradClip.clipNorm(p, o.clipNorm());
                opt.step(p);
                steps++;
                tokens += b.targetTokens();
                lossSum += pass.lastLossSum();
                lossTokens += pass.lastTokenCount();
                double secs = (System.nanoTime() - start) / 1e9;
                l.batch(epoch, i + 1, n, loss, tokens / Math.max(1e-9, secs));
                boolean outOfTime = System.nanoTime() > deadline;
                boolean evalNow = (i + 1) % evalEvery == 0 || i == n - 1 || outOfTime;
                if (evalNow) {
                    epochsDone = epoch - 1 + (i + 1) / (double) n;
                    double trainLoss = lossSum / Math.max(1, lossTokens);
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
                    boolean improved = valBatches.isEmpty() || best == null || valLoss < best.valLoss();
                    Checkpoint c = new Checkpoint(epoch, steps, trainLoss, valLoss, ter, ser, opt.learningRate(),
                            (System.nanoTime() - start) / 1e9, improved);
                    history.add(c);
                    l.evaluated(c);
                    if (improved) {
                        best = c;
                        bad = 0;
                        bestValues = p.values().clone();
                        l.improved(model, c);
                    } else {
                        bad++;
                        opt.setLearningRate(opt.learningRate() * 0.5);
                        if (bad >= o.patience()) {
                            stop = "early stop: validation loss did not improve in " + bad + " evaluations";
                            break outer;
                        }
                    }
                    if (outOfTime) {
                        stop = "time budget " + o.timeBudget() + " used up";
                        break outer;
                    }
                }
            }
        }
        if (bestValues != null) System.arraycopy(bestValues, 0, p.values(), 0, bestValues.length);
        double secs = (System.nanoTime() - start) / 1e9;
        return new Outcome(history, best, steps, epochsDone, secs, tokens / Math.max(1e-9, secs), stop);
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
