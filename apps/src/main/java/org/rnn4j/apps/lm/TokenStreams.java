package org.rnn4j.apps.lm;

/**
 * Cuts the tokens [from, to) into B contiguous streams for stateful truncated BPTT (Zaremba et al.,
 * char-rnn): with N = to - from tokens there are N - 1 (input, next token) pairs; stream b takes pairs
 * [b*L, (b+1)*L) where L = (N - 1) / B, and the last (N - 1) mod B pairs are left out. Batch k holds
 * steps [k*T, k*T + T) of every stream (the last batch may be shorter), so each batch continues exactly
 * where the previous one stopped and the hidden state can be carried from one to the next.
 *
 * <pre>
 *   x[b, j] = tokens[from + b*L + k*T + j]      y[b, j] = tokens[from + b*L + k*T + j + 1]
 * </pre>
 *
 * Immutable; the token array is shared, not copied.
 */
public final class TokenStreams {
    private final int[] tokens;
    private final int from;
    private final int streams;
    private final int length;

    /**
     * @throws IllegalArgumentException if there are fewer than {@code streams + 1} tokens (every stream
     *     needs one input and its next token)
     */
    public TokenStreams(int[] tokens, int from, int to, int streams) {
        if (streams <= 0) throw new IllegalArgumentException("streams (batch size) must be > 0, got " + streams);
        if (from < 0 || to > tokens.length || from > to) {
            throw new IllegalArgumentException("token range [" + from + ", " + to + ") is outside [0, " + tokens.length + ")");
        }
        int n = to - from;
        if (n - 1 < streams) {
            throw new IllegalArgumentException(n + " tokens are too few for " + streams + " parallel streams (batch size): need at least "
                    + (streams + 1) + "; lower the batch size or give more text");
        }
        this.tokens = tokens;
        this.from = from;
        this.streams = streams;
        this.length = (n - 1) / streams;
    }

    /** B, the number of streams. */
    public int streams() {
        return streams;
    }

    /** L, the (input, target) pairs per stream. */
    public int streamLength() {
        return length;
    }

    /** Pairs per pass over all streams: B * L. */
    public long tokensPerEpoch() {
        return (long) streams * length;
    }

    /** Batches of up to {@code seqLen} steps that cover every stream once. */
    public int batches(int seqLen) {
        checkSeqLen(seqLen);
        return (length + seqLen - 1) / seqLen;
    }

    /** Steps in batch {@code k}: seqLen, or fewer for the last. */
    public int batchLength(int k, int seqLen) {
        checkBatch(k, seqLen);
        return Math.min(seqLen, length - k * seqLen);
    }

    /**
     * Writes batch {@code k} into {@code x} and {@code y}, both [B, t] batch-first with t =
     * {@link #batchLength}; returns t.
     */
    public int fill(int k, int seqLen, int[] x, int[] y) {
        int t = batchLength(k, seqLen);
        if (x.length < streams * t || y.length < streams * t) {
            throw new IllegalArgumentException("x and y need " + streams + "×" + t + " = " + streams * t + " ids, got " + x.length + " and " + y.length);
        }
        int start = k * seqLen;
        for (int b = 0; b < streams; b++) {
            int src = from + b * length + start;
            System.arraycopy(tokens, src, x, b * t, t);
            System.arraycopy(tokens, src + 1, y, b * t, t);
        }
        return t;
    }

    private void checkSeqLen(int seqLen) {
        if (seqLen <= 0) throw new IllegalArgumentException("seqLen must be > 0, got " + seqLen);
    }

    private void checkBatch(int k, int seqLen) {
        int n = batches(seqLen);
        if (k < 0 || k >= n) throw new IllegalArgumentException("batch " + k + " is outside [0, " + n + ")");
    }
}
