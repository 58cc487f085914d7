package org.rnn4j.train;

/**
 * Settings of a supervised fit on in-memory sequences.
 *
 * @param loss        "mse" (float targets [N, T, O]) or "cross-entropy" (class ids [N, T], -100 ignored)
 * @param clipNorm    clip the global gradient norm to this (0 = off)
 * @param clipValue   clip every gradient element to ±this (0 = off)
 * @param shuffle     false: batches in file order, so one epoch with batch = N is one full-batch step
 */
public record FitConfig(String loss, String optimizer, double lr, double momentum, double weightDecay,
                        int epochs, int batchSize, double clipNorm, double clipValue, long seed, boolean shuffle) {
    public FitConfig {
        if (!"mse".equals(loss) && !"cross-entropy".equals(loss)) {
            throw new IllegalArgumentException("loss must be mse or cross-entropy, got '" + loss + "'");
        }
        if (!Optimizers.NAMES.contains(optimizer)) {
            throw new IllegalArgumentException("optimizer must be one of " + String.join(", ", Optimizers.NAMES) + ", got '" + optimizer + "'");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        if (clipNorm < 0) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
        if (clipValue < 0) throw new IllegalArgumentException("clipValue must be >= 0, got " + clipValue);
    }

    public boolean crossEntropy() {
        return "cross-entropy".equals(loss);
    }
}
