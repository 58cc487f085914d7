package org.rnn4j.apps.lm;

/**
 * How to draw the next token from a model's logits.
 *
 * @param temperature divides the logits before the softmax: below 1 sharper, above 1 flatter; 0 means
 *                    greedy (always the most likely token)
 * @param topK        keep only the k most likely tokens; 0 = all
 * @param topP        keep the smallest set of most likely tokens whose probabilities add up to at least
 *                    topP (nucleus sampling); 1 = all
 */
public record SamplingConfig(double temperature, int topK, double topP) {
    public SamplingConfig {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
    }

    /** Plain sampling from the model's distribution. */
    public static SamplingConfig plain() {
        return new SamplingConfig(1, 0, 1);
    }

    public static SamplingConfig of(double temperature) {
        return new SamplingConfig(temperature, 0, 1);
    }
}
