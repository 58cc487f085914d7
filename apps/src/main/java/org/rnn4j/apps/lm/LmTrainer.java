package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.rnn4j.train.CrossEntropyLoss;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.ReduceOnPlateau;

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
 * patience} evaluations without improvement ({@link ReduceOnPlateau}); a new best is checkpointed to
 * the given path. With a time budget, training stops early enough for a last evaluation to fit. At the
 * end the model holds the best validation weights.
 */
public final class LmTrainer {

    /** Progress callbacks, called on the training thread between steps (the model may be read, e.g. sampled). */
    public interface Listener {
        default void started(int stepsPerEpoch, long maxSteps, long trainTokensPerEpoch) {}

        default void step(long step, double epoch, double loss, double tokensPerSecond, double elapsedSeconds) {}

        default void evaluated(LmTrainResult.EvalPoint point) {}
    }

    private LmTrainer() {}

    /**
     * Trains {@code lm} in place on {@code corpus} (whose vocabulary must be the model's).
     *
     * @param checkpoint where to save each new best model (atomically), or null
     * @throws IllegalArgumentException for a training text too short for the batch size
     * @throws IllegalStateException if the loss becomes NaN or infinite (the message suggests a lower LR)
     * @throws IOException if writing the checkpoint fails
     */
    public static LmTrainResult train(LanguageModel lm, Corpus corpus, LmTrainConfig cfg, Path checkpoint, Listener listener)
            throws IOException {
        if (corpus.vocabulary().size() != lm.vocabulary().size()) {
            throw new IllegalArgumentException("corpus vocabulary has " + corpus.vocabulary().size() + " tokens, the model "
                    + lm.vocabulary().size());
        }
        Listener ls = listener != null ? listener : new Listener() {};
        SequenceModel model = lm.network();
        Parameters params = model.parameters();
        int vocab = lm.vocabulary().size();
        int bsz = cfg.batchSize(), seq = cfg.seqLen();
        TokenStreams streams;
        try {
            streams = new TokenStreams(corpus.tokens(), 0, corpus.trainEnd(), bsz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training text: " + e.getMessage().replace("batch size", "--batch-size"), e);
        }
        int perEpoch = streams.batches(seq);
        long maxSteps = (long) perEpoch * cfg.epochs();
        RecurrentConfig rc = model.config().rnn();
        int state = rc.numLayers() * bsz * rc.hiddenSize();
        float[] h = new float[state];
        float[] c = rc.cell() == CellKind.LSTM ? new float[state] : null;

        Optimizer opt = new Adam(Adam.Config.defaults().withLr(cfg.lr()), params);
        ReduceOnPlateau plateau = new ReduceOnPlateau(ReduceOnPlateau.Config.of(cfg.lrDecay(), cfg.patience(),
                LmTrainConfig.PLATEAU_THRESHOLD, 0));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        LmEvaluator evaluator = new LmEvaluator(lm);
        Rng rng = new Rng(cfg.seed());
        Map<Integer, Batch> batches = new HashMap<>();

        long t0 = System.nanoTime();
        double trainNanos = 0, lastEvalSeconds = 0;
        long step = 0, tokens = 0;
        double lossSum = 0;
        long lossTokens = 0;
        double best = Double.POSITIVE_INFINITY, lastTrain = Double.NaN;
        long bestStep = 0;
        float[] bestValues = null;
        List<LmTrainResult.EvalPoint> history = new ArrayList<>();
        String stop = "epochs";
        ls.started(perEpoch, maxSteps, streams.tokensPerEpoch());

        training:
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            java.util.Arrays.fill(h, 0f);
            if (c != null) java.util.Arrays.fill(c, 0f);
            for (int k = 0; k < perEpoch; k++) {
                long s0 = System.nanoTime();
                int t = streams.batchLength(k, seq);
                Batch b = batches.computeIfAbsent(t, len -> new Batch(model.newPass(bsz, len), bsz, len, vocab));
                streams.fill(k, seq, b.x, b.y);
                float[] out = b.pass.forwardTokens(b.x, null, h, c, true, rng);
                // Carry the state to the next batch (a copy: the pass's buffers are rewritten next time).
                System.arraycopy(b.pass.hn(), 0, h, 0, state);
                if (c != null) System.arraycopy(b.pass.cn(), 0, c, 0, state);
                double loss = ce.lossAndGrad(out, 0, bsz * t, vocab, b.y, 0, b.dOut, 0);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged at step " + (step + 1) + ": the loss is " + loss
                            + "; try a lower --lr or a smaller --clip-norm");
                }
                params.zeroGrad();
                b.pass.backward(b.dOut, null, null);
                if (cfg.clipNorm() > 0) GradClip.clipNorm(params, cfg.clipNorm());
                opt.step(params);
                step++;
                tokens += (long) bsz * t;
                lossSum += loss * bsz * t;
                lossTokens += (long) bsz * t;
                trainNanos += System.nanoTime() - s0;
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double epochs = (double) tokens / streams.tokensPerEpoch();
                ls.step(step, epochs, loss, tokens / (trainNanos / 1e9), elapsed);

                boolean endOfEpoch = k == perEpoch - 1;
                // Stop while a last evaluation still fits; before the first one, guess its cost as a
                // forward-only pass (about a third of a training step per token) over the validation text.
                double evalGuess = lastEvalSeconds > 0 ? lastEvalSeconds * 1.1
                        : corpus.validationTokens() / (3 * tokens / (trainNanos / 1e9));
                boolean outOfTime = cfg.timeBudget() != null
                        && elapsed + evalGuess + trainNanos / 1e9 / step >= cfg.timeBudget().toNanos() / 1e9;
                if (endOfEpoch || outOfTime || (cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0)) {
                    long e0 = System.nanoTime();
                    double val = evaluator.evaluate(corpus.tokens(), corpus.trainEnd(), corpus.size()).loss();
                    lastEvalSeconds = (System.nanoTime() - e0) / 1e9;
                    lastTrain = lossSum / lossTokens;
                    lossSum = 0;
                    lossTokens = 0;
                    boolean improved = val < best;
                    if (improved) {
                        best = val;
                        bestStep = step;
                        bestValues = params.values().clone();
                        if (checkpoint != null) {
                            lm.training().put("step", step);
                            lm.training().put("val_loss", val);
                            lm.save(checkpoint);
                        }
                    }
                    double lr = opt.learningRate();
                    plateau.step(val, opt);
                    LmTrainResult.EvalPoint p = new LmTrainResult.EvalPoint(step, epochs, (System.nanoTime() - t0) / 1e9,
                            lastTrain, val, lr, improved);
                    history.add(p);
                    ls.evaluated(p);
                }
                if (outOfTime) {
                    stop = "time budget";
                    break training;
                }
            }
        }
        if (bestValues != null) System.arraycopy(bestValues, 0, params.values(), 0, bestValues.length);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new LmTrainResult(best, bestStep, lastTrain, tokens / (trainNanos / 1e9), (double) tokens / streams.tokensPerEpoch(),
                step, elapsed, stop, opt.learningRate(), List.copyOf(history));
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
