package org.rnn4j.train;

import org.rnn4j.tensor.ShapeException;
import org.rnn4j.tensor.Tensor;

/**
 * Softmax cross-entropy over class logits with integer targets, as {@code torch.nn.CrossEntropyLoss(ignore_index=
 * ...)} with reduction "mean".
 *
 * <p>Dimensions: N rows (e.g. batch × time, flattened), C classes. For a row with logits x and target t:
 *
 * <pre>
 *   loss_row = logsumexp(x) - x[t]          dx = softmax(x) - onehot(t)
 * </pre>
 *
 * The loss is the mean of {@code loss_row} over rows whose target is not {@link #ignoreIndex()}, and the gradient of
 * a counted row is divided by that count; ignored rows contribute nothing and get a zero gradient. The
 * log-softmax subtracts the row maximum first, so large logits do not overflow; sums are accumulated in double.
 *
 * <p><b>All rows ignored:</b> PyTorch returns NaN (0/0). Here the loss is 0 and the gradient is all zeros, so a
 * batch made only of padding is a no-op instead of poisoning the parameters; callers that care can check {@link
 * #countCounted}.
 *
 * <p>Targets outside {@code [0, C)} that are not the ignore index are an error naming the row; all targets are
 * checked before anything is written. Gradients overwrite the caller's buffer (nothing is allocated per call).
 * Instances are immutable and thread-safe.
 */
public final class CrossEntropyLoss {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final int ignoreIndex;

    /** With PyTorch's default ignore index, -100. */
    public CrossEntropyLoss() {
        this(DEFAULT_IGNORE_INDEX);
    }

    /** Rows whose target equals {@code ignoreIndex} are skipped (padding). */
    public CrossEntropyLoss(int ignoreIndex) {
        this.ignoreIndex = ignoreIndex;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * The mean loss over counted rows, and its gradient.
     *
     * @param logits [N, C] row-major from {@code logitsOff}
     * @param n rows N, >= 0
     * @param c classes C, > 0
     * @param targets [N] class indices from {@code targetsOff}, or the ignore index
     * @param dLogits [N, C] written from {@code dOff} with dLoss/dLogits; may be null for the loss only
     * @return the mean loss over counted rows (0 if none is counted)
     * @throws IllegalArgumentException for a target outside [0, C) that is not the ignore index, or bad ranges
     */
    public double lossAndGrad(float[] logits, int logitsOff, int n, int c, int[] targets, int targetsOff,
            float[] dLogits, int dOff) {
        int count = countCounted(targets, targetsOff, n, c);
        if (count == 0) {
            checkRanges(logits, logitsOff, n, c, dLogits, dOff);
            if (dLogits != null) java.util.Arrays.fill(dLogits, dOff, dOff + n * c, 0f);
            return 0;
        }
        return sumLossAndGrad(logits, logitsOff, n, c, targets, targetsOff, dLogits, dOff, 1.0 / count) / count;
    }

    /** The mean loss only; see {@link #lossAndGrad}. */
    public double loss(float[] logits, int logitsOff, int n, int c, int[] targets, int targetsOff) {
        return lossAndGrad(logits, logitsOff, n, c, targets, targetsOff, null, 0);
    }

    /**
     * The <em>sum</em> of the row losses over counted rows, with the gradient of {@code gradScale × sum}. For
     * callers that average over something other than this call's rows (several chunks of one batch, say): pass
     * {@code gradScale = 1 / totalCount}.
     *
     * @param dLogits [N, C] written from {@code dOff}, zero for ignored rows; may be null for the loss only
     */
    public double sumLossAndGrad(float[] logits, int logitsOff, int n, int c, int[] targets, int targetsOff,
            float[] dLogits, int dOff, double gradScale) {
        countCounted(targets, targetsOff, n, c); // validates every target before anything is written
        checkRanges(logits, logitsOff, n, c, dLogits, dOff);
        double total = 0;
        for (int row = 0; row < n; row++) {
            int t = targets[targetsOff + row];
            int x0 = logitsOff + row * c;
            int d0 = dOff + row * c;
            if (t == ignoreIndex) {
                if (dLogits != null) java.util.Arrays.fill(dLogits, d0, d0 + c, 0f);
                continue;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[x0 + j]); // NaN propagates, as in PyTorch
            double sum = 0;
            if (dLogits != null) {
                // Keep exp(x - max) in the gradient buffer so exp runs once per element.
                for (int j = 0; j < c; j++) {
                    double e = Math.exp(logits[x0 + j] - max);
                    dLogits[d0 + j] = (float) e;
                    sum += e; // the unrounded value, so the loss does not depend on whether a gradient is wanted
                }
                double scale = gradScale / sum;
                for (int j = 0; j < c; j++) dLogits[d0 + j] = (float) (dLogits[d0 + j] * scale);
                dLogits[d0 + t] = (float) (dLogits[d0 + t] - gradScale);
            } else {
                for (int j = 0; j < c; j++) sum += Math.exp(logits[x0 + j] - max);
            }
            // (max - x[t]) first: with huge logits, max + log(sum) would round log(sum) away.
            total += ((double) max - logits[x0 + t]) + Math.log(sum);
        }
        return total;
    }

    /**
     * Number of rows whose target is not the ignore index (the divisor of the mean), validating every target.
     *
     * @param targets [N] from {@code targetsOff}
     * @throws IllegalArgumentException naming the first row whose target is outside [0, C) and not ignored
     */
    public int countCounted(int[] targets, int targetsOff, int n, int c) {
        Check.nonNegative("n", n);
        Check.positive("c", c);
        Check.range("targets", targets, targetsOff, n);
        int count = 0;
        for (int row = 0; row < n; row++) {
            int t = targets[targetsOff + row];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("target of row " + row + " is " + t + ", outside [0, " + c
                        + ") classes and not the ignore index " + ignoreIndex);
            }
            count++;
        }
        return count;
    }

    /**
     * Tensor form: {@code logits} [N, C], {@code targets} [N], {@code dLogits} [N, C] or null.
     *
     * @return the mean loss over counted rows
     */
    public double lossAndGrad(Tensor logits, int[] targets, Tensor dLogits) {
        if (logits.rank() != 2) {
            throw new ShapeException("logits: expected (N, C), got " + Tensor.shapeString(logits.shape()));
        }
        int n = logits.dim(0);
        int c = logits.dim(1);
        if (targets.length != n) {
            throw new ShapeException("targets: expected " + n + " (one per logits row), got " + targets.length);
        }
        if (dLogits != null) dLogits.requireShape("dLogits", n, c);
        return lossAndGrad(logits.data(), 0, n, c, targets, 0, dLogits == null ? null : dLogits.data(), 0);
    }

    private static void checkRanges(float[] logits, int logitsOff, int n, int c, float[] dLogits, int dOff) {
        Check.range("logits", logits, logitsOff, (long) n * c);
        if (dLogits != null) Check.range("dLogits", dLogits, dOff, (long) n * c);
    }
}
