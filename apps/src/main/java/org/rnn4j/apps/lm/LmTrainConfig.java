package org.rnn4j.apps.lm;

import java.time.Duration;

/**
 * How to train a language model (the network's shape is the {@link LanguageModel}'s).
 *
 * @param seqLen      T, steps of truncated BPTT per batch
 * @param batchSize   B, parallel contiguous streams
 * @param lr          Adam learning rate
 * @param clipNorm    global gradient-norm clip; 0 = off
 * @param epochs      most passes over the training text
 * @param timeBudget  stop when this is spent (the final evaluation included); null = no limit
 * @param seed        dropout randomness
 * @param evalEvery   evaluate every this many steps; 0 = at the end of every epoch only
 * @param lrDecay     factor the LR is multiplied by when validation stops improving, in (0, 1)
 * @param patience    evaluations without improvement tolerated before decaying
 */
public record LmTrainConfig(int seqLen, int batchSize, double lr, double clipNorm, int epochs, Duration timeBudget,
                            long seed, int evalEvery, double lrDecay, int patience) {
    /** Relative improvement that counts for the plateau schedule (torch ReduceLROnPlateau threshold). */
    public static final double PLATEAU_THRESHOLD = 1e-3;

    public LmTrainConfig {
        if (seqLen <= 0) throw new IllegalArgumentException("seqLen must be > 0, got " + seqLen);
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0 (0 = off), got " + clipNorm);
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
        if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
            throw new IllegalArgumentException("timeBudget must be > 0, got " + timeBudget);
        }
        if (evalEvery < 0) throw new IllegalArgumentException("evalEvery must be >= 0 (0 = each epoch), got " + evalEvery);
        if (!(lrDecay > 0 && lrDecay < 1)) throw new IllegalArgumentException("lrDecay must be in (0, 1), got " + lrDecay);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }

    /** char-rnn-like defaults: T 100, B 32, Adam 2e-3, clip 5, 10 epochs, evaluate each epoch, halve on plateau. */
    public static LmTrainConfig defaults() {
        return new LmTrainConfig(100, 32, 2e-3, 5, 10, null, 0, 0, 0.5, 1);
    }

    public LmTrainConfig withEpochs(int e) {
        return new LmTrainConfig(seqLen, batchSize, lr, clipNorm, e, timeBudget, seed, evalEvery, lrDecay, patience);
    }

    public LmTrainConfig withBatch(int b, int t) {
        return new LmTrainConfig(t, b, lr, clipNorm, epochs, timeBudget, seed, evalEvery, lrDecay, patience);
    }

    public LmTrainConfig withEvalEvery(int steps) {
        return new LmTrainConfig(seqLen, batchSize, lr, clipNorm, epochs, timeBudget, seed, steps, lrDecay, patience);
    }

    public LmTrainConfig withTimeBudget(Duration d) {
        return new LmTrainConfig(seqLen, batchSize, lr, clipNorm, epochs, d, seed, evalEvery, lrDecay, patience);
    }
}
