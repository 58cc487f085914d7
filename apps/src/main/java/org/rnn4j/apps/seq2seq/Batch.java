package org.rnn4j.apps.seq2seq;

import java.util.List;
import org.rnn4j.train.CrossEntropyLoss;

/**
 * A padded batch, batch-major. Dimensions: B sequences, S = longest source, T = longest target + 1
 * (the decoder reads BOS y_1 ... y_n and must predict y_1 ... y_n EOS).
 *
 * @param source      [B, S] source ids, padded with {@link Vocabulary#PAD_ID}
 * @param sourceLength [B] tokens per source (≥ 1)
 * @param targetIn    [B, T] BOS then the target, padded with PAD
 * @param targetOut   [B, T] the target then EOS, padded with the loss's ignore index (-100)
 * @param targetSteps [B] target length + 1 (the decoder steps that count)
 * @param lines       [B] source-file lines of the examples, for messages
 */
public record Batch(int batch, int sourceLen, int targetLen, int[] source, int[] sourceLength, int[] targetIn, int[] targetOut,
                    int[] targetSteps, int[] lines) {

    public static Batch of(List<Example> examples) {
        int b = examples.size();
        if (b == 0) throw new IllegalArgumentException("a batch needs at least one example");
        int s = 0, t = 0;
        for (Example e : examples) {
            s = Math.max(s, e.source().length);
            t = Math.max(t, e.target().length + 1);
        }
        int[] src = new int[b * s], srcLen = new int[b], in = new int[b * t], out = new int[b * t], steps = new int[b], lines = new int[b];
        java.util.Arrays.fill(out, CrossEntropyLoss.DEFAULT_IGNORE_INDEX);
        for (int i = 0; i < b; i++) {
            Example e = examples.get(i);
            if (e.source().length == 0) throw new IllegalArgumentException("line " + e.line() + ": empty source");
            System.arraycopy(e.source(), 0, src, i * s, e.source().length);
            srcLen[i] = e.source().length;
            int n = e.target().length;
            in[i * t] = Vocabulary.BOS_ID;
            System.arraycopy(e.target(), 0, in, i * t + 1, n);
            System.arraycopy(e.target(), 0, out, i * t, n);
            out[i * t + n] = Vocabulary.EOS_ID;
            steps[i] = n + 1;
            lines[i] = e.line();
        }
        return new Batch(b, s, t, src, srcLen, in, out, steps, lines);
    }

    /** Target tokens that count in the loss (EOS included). */
    public int targetTokens() {
        int n = 0;
        for (int s : targetSteps) n += s;
        return n;
    }

    public int sourceTokens() {
        int n = 0;
        for (int s : sourceLength) n += s;
        return n;
    }
}
