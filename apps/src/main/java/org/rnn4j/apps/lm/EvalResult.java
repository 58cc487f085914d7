package org.rnn4j.apps.lm;

/**
 * Loss of a language model on a text.
 *
 * @param sumLoss       sum over scored tokens of -ln p(token | tokens before), in nats
 * @param tokens        tokens scored
 * @param unknownTokens tokens (after the first) not in the vocabulary: scored as {@code <unk>} and part of
 *                      {@code tokens} if the model learned {@code <unk>} ({@link Vocabulary#unkTrained()}),
 *                      otherwise left out of the loss — a model cannot predict what it never saw
 */
public record EvalResult(double sumLoss, long tokens, long unknownTokens) {
    public static final EvalResult EMPTY = new EvalResult(0, 0, 0);

    /** Mean loss in nats per token (NaN when nothing was scored). */
    public double loss() {
        return tokens == 0 ? Double.NaN : sumLoss / tokens;
    }

    /** Bits per token: {@code loss / ln 2}; bits per character at character level. */
    public double bitsPerToken() {
        return loss() / Math.log(2);
    }

    /** {@code exp(loss)}. */
    public double perplexity() {
        return Math.exp(loss());
    }

    public EvalResult plus(EvalResult o) {
        return new EvalResult(sumLoss + o.sumLoss, tokens + o.tokens, unknownTokens + o.unknownTokens);
    }
}
