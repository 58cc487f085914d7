package org.rnn4j.apps.lm;

import java.util.Arrays;
import org.rnn4j.tensor.Rng;

/**
 * Draws tokens from logits with temperature, top-k and top-p (nucleus) filtering, in that order:
 *
 * <pre>
 *   p = softmax(logits / temperature)            (the banned token gets 0)
 *   top-k: keep the k largest p                  (ties: lower id first)
 *   top-p: keep the shortest prefix of p sorted descending whose sum is >= topP
 *   draw from p renormalised
 * </pre>
 *
 * Holds scratch buffers for one vocabulary size: one sampler per thread (or per session).
 */
public final class Sampler {
    private final SamplingConfig config;
    private final int vocab;
    private final double[] p;
    private final Integer[] order;

    public Sampler(SamplingConfig config, int vocabSize) {
        if (vocabSize <= 0) throw new IllegalArgumentException("vocabSize must be > 0, got " + vocabSize);
        this.config = config;
        this.vocab = vocabSize;
        this.p = new double[vocabSize];
        this.order = new Integer[vocabSize];
    }

    public SamplingConfig config() {
        return config;
    }

    /**
     * The distribution tokens are drawn from, after temperature and filtering, normalised to sum 1.
     * Returns this sampler's buffer (overwritten by the next call).
     *
     * @param logits [V]
     * @param banned a token id that must never be drawn (e.g. {@code <unk>}), or -1; ignored if it is
     *               the only token
     */
    public double[] distribution(float[] logits, int banned) {
        if (logits.length < vocab) throw new IllegalArgumentException("logits: expected " + vocab + " values, got " + logits.length);
        if (vocab == 1) banned = -1;
        double max = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        for (int i = 0; i < vocab; i++) {
            if (i != banned && logits[i] > max) {
                max = logits[i];
                argmax = i;
            }
        }
        if (argmax < 0) throw new IllegalArgumentException("logits are all NaN or -Infinity: nothing to sample");
        if (config.temperature() == 0) {
            Arrays.fill(p, 0);
            p[argmax] = 1;
            return p;
        }
        double inv = 1 / config.temperature();
        for (int i = 0; i < vocab; i++) {
            p[i] = i == banned || Float.isNaN(logits[i]) ? 0 : Math.exp((logits[i] - max) * inv);
        }
        boolean topK = config.topK() > 0 && config.topK() < vocab;
        boolean topP = config.topP() < 1;
        if (topK || topP) {
            for (int i = 0; i < vocab; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> {
                int c = Double.compare(p[b], p[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int keep = vocab;
            if (topK) keep = config.topK();
            if (topP) {
                double total = 0;
                for (int r = 0; r < keep; r++) total += p[order[r]];
                double cum = 0;
                int r = 0;
                while (r < keep) {
                    cum += p[order[r]];
                    r++;
                    if (cum >= config.topP() * total) break;
                }
                keep = r;
            }
            for (int r = keep; r < vocab; r++) p[order[r]] = 0;
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += p[i];
        for (int i = 0; i < vocab; i++) p[i] /= sum;
        return p;
    }

    /** Draws one token id from {@link #distribution}. */
    public int sample(float[] logits, int banned, Rng rng) {
        double[] q = distribution(logits, banned);
        double u = rng.nextDouble();
        double cum = 0;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (q[i] <= 0) continue;
            cum += q[i];
            last = i;
            if (u < cum) return i;
        }
        return last; // u landed in the rounding gap at the top
    }
}
