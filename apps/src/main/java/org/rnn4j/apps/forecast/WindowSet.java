package org.rnn4j.apps.forecast;

import java.time.LocalDateTime;
import org.rnn4j.tensor.Tensor;

/**
 * The sliding windows of one part (train, validation or test) of a series.
 *
 * <p>Dimensions: N windows, L = lookback input steps, F features, K = steps ahead. Window {@code i}
 * ends its inputs at row {@code t = anchorRow(i)}: inputs are rows {@code t-L+1 .. t}, targets are rows
 * {@code t+H .. t+H+K-1} (H = horizon). Inputs and targets are normalised with the training-part
 * statistics. A target whose value was missing in the file has mask 0 and target 0: leave it out of the
 * loss and the metrics (every window has at least one target with mask 1).
 *
 * <p>The windows share one [rows, F] matrix; {@link #inputs()} copies them out whole, and
 * {@link #copyBatch} copies only a batch, which keeps memory at one copy of the series.
 */
public final class WindowSet {
    private final String name;
    private final float[] matrix; // [rows, F]
    private final int featureCount;
    private final float[] targetNorm; // [rows], 0 where missing
    private final boolean[] observed; // [rows]
    private final double[] targetRaw; // [rows], NaN where missing
    private final LocalDateTime[] times; // [rows]
    private final int[] anchors; // [N]
    private final int lookback;
    private final int horizon;
    private final int stepsAhead;

    WindowSet(String name, float[] matrix, int featureCount, float[] targetNorm, boolean[] observed, double[] targetRaw,
            LocalDateTime[] times, int[] anchors, int lookback, int horizon, int stepsAhead) {
        this.name = name;
        this.matrix = matrix;
        this.featureCount = featureCount;
        this.targetNorm = targetNorm;
        this.observed = observed;
        this.targetRaw = targetRaw;
        this.times = times;
        this.anchors = anchors;
        this.lookback = lookback;
        this.horizon = horizon;
        this.stepsAhead = stepsAhead;
    }

    /**
     * The windows of this part followed by those of {@code later} (a part of the same series, e.g. training then
     * validation windows for a refit), under a new name.
     *
     * @throws IllegalArgumentException if {@code later} is windows of another series or another window shape
     */
    public WindowSet concat(String newName, WindowSet later) {
        if (later.matrix != matrix || later.targetNorm != targetNorm || later.lookback != lookback || later.horizon != horizon
                || later.stepsAhead != stepsAhead) {
            throw new IllegalArgumentException("cannot join " + name + " and " + later.name
                    + " windows: they are not windows of the same series with the same lookback, horizon and steps ahead");
        }
        int[] a = java.util.Arrays.copyOf(anchors, anchors.length + later.anchors.length);
        System.arraycopy(later.anchors, 0, a, anchors.length, later.anchors.length);
        return new WindowSet(newName, matrix, featureCount, targetNorm, observed, targetRaw, times, a, lookback, horizon, stepsAhead);
    }

    /** "train", "validation" or "test". */
    public String name() {
        return name;
    }

    /** Number of windows N. */
    public int size() {
        return anchors.length;
    }

    public boolean isEmpty() {
        return anchors.length == 0;
    }

    /** L. */
    public int lookback() {
        return lookback;
    }

    /** H: steps from the last input to the first target. */
    public int horizon() {
        return horizon;
    }

    /** K. */
    public int stepsAhead() {
        return stepsAhead;
    }

    /** F. */
    public int featureCount() {
        return featureCount;
    }

    /** The row of the series at which window {@code i}'s inputs end. */
    public int anchorRow(int i) {
        return anchors[i];
    }

    /** The time of the last input of window {@code i}. */
    public LocalDateTime anchorTime(int i) {
        return times[anchors[i]];
    }

    /** The time of target {@code k} (0-based) of window {@code i}. */
    public LocalDateTime targetTime(int i, int k) {
        return times[targetRow(i, k)];
    }

    /** The series row of target {@code k} of window {@code i}. */
    public int targetRow(int i, int k) {
        if (k < 0 || k >= stepsAhead) {
            throw new IndexOutOfBoundsException("step k must be in [0, " + stepsAhead + "), got " + k);
        }
        return anchors[i] + horizon + k;
    }

    /** Inputs of all windows, [N, L, F] in C order (a new array each call). */
    public float[] inputs() {
        float[] x = new float[anchors.length * lookback * featureCount];
        int[] all = new int[anchors.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        copyBatch(all, x, null, null);
        return x;
    }

    /** {@link #inputs()} as a tensor of shape (N, L, F). */
    public Tensor inputsTensor() {
        return Tensor.of(inputs(), anchors.length, lookback, featureCount);
    }

    /** Normalised targets, [N, K]; 0 where the mask is 0. */
    public float[] targets() {
        float[] y = new float[anchors.length * stepsAhead];
        for (int i = 0; i < anchors.length; i++) {
            for (int k = 0; k < stepsAhead; k++) y[i * stepsAhead + k] = targetNorm[targetRow(i, k)];
        }
        return y;
    }

    /** {@link #targets()} as a tensor of shape (N, K). */
    public Tensor targetsTensor() {
        return Tensor.of(targets(), anchors.length, stepsAhead);
    }

    /** 1 where the target was observed, 0 where it was missing; [N, K]. */
    public float[] mask() {
        float[] m = new float[anchors.length * stepsAhead];
        for (int i = 0; i < anchors.length; i++) {
            for (int k = 0; k < stepsAhead; k++) m[i * stepsAhead + k] = observed[targetRow(i, k)] ? 1f : 0f;
        }
        return m;
    }

    /** {@link #mask()} as a tensor of shape (N, K). */
    public Tensor maskTensor() {
        return Tensor.of(mask(), anchors.length, stepsAhead);
    }

    /** Number of targets with mask 1. */
    public int observedTargets() {
        int c = 0;
        for (int i = 0; i < anchors.length; i++) {
            for (int k = 0; k < stepsAhead; k++) if (observed[targetRow(i, k)]) c++;
        }
        return c;
    }

    /** Targets in the target's own units, [N, K]; NaN where the mask is 0. */
    public double[] actual() {
        double[] a = new double[anchors.length * stepsAhead];
        for (int i = 0; i < anchors.length; i++) {
            for (int k = 0; k < stepsAhead; k++) {
                int r = targetRow(i, k);
                a[i * stepsAhead + k] = observed[r] ? targetRaw[r] : Double.NaN;
            }
        }
        return a;
    }

    /**
     * Copies the given windows into caller-owned buffers (any of y and mask may be null).
     *
     * @param windows [B] window indices in [0, N)
     * @param x [B, L, F] receives the inputs
     * @param y [B, K] receives the normalised targets (0 where masked)
     * @param mask [B, K] receives 1 for observed targets, 0 for missing ones
     */
    public void copyBatch(int[] windows, float[] x, float[] y, float[] mask) {
        int b = windows.length;
        int rowLen = featureCount;
        int windowLen = lookback * rowLen;
        check("x", x, b * windowLen, b);
        if (y != null) check("y", y, b * stepsAhead, b);
        if (mask != null) check("mask", mask, b * stepsAhead, b);
        for (int j = 0; j < b; j++) {
            int i = windows[j];
            if (i < 0 || i >= anchors.length) {
                throw new IndexOutOfBoundsException(name + " window index must be in [0, " + anchors.length + "), got " + i);
            }
            int first = anchors[i] - lookback + 1;
            System.arraycopy(matrix, first * rowLen, x, j * windowLen, windowLen);
            for (int k = 0; k < stepsAhead; k++) {
                int r = anchors[i] + horizon + k;
                if (y != null) y[j * stepsAhead + k] = targetNorm[r];
                if (mask != null) mask[j * stepsAhead + k] = observed[r] ? 1f : 0f;
            }
        }
    }

    /**
     * The targets of the outputs at the last {@code steps} input steps of each window (for training on every
     * step): the output at input row {@code r} forecasts rows {@code r+H .. r+H+K-1}, as the last step's does.
     * Those rows lie inside the window's span, so inside its part and segment.
     *
     * @param y [B, steps, K] receives the normalised targets (0 where masked)
     * @param mask [B, steps, K] receives 1 for observed targets, 0 for missing ones
     */
    public void copyStepTargets(int[] windows, int steps, float[] y, float[] mask) {
        if (steps < 1 || steps > lookback) throw new IllegalArgumentException("steps must be in [1, " + lookback + "], got " + steps);
        int b = windows.length;
        check("y", y, b * steps * stepsAhead, b);
        check("mask", mask, b * steps * stepsAhead, b);
        for (int j = 0; j < b; j++) {
            int i = windows[j];
            if (i < 0 || i >= anchors.length) {
                throw new IndexOutOfBoundsException(name + " window index must be in [0, " + anchors.length + "), got " + i);
            }
            for (int s = 0; s < steps; s++) {
                int row = anchors[i] - (steps - 1) + s;
                for (int k = 0; k < stepsAhead; k++) {
                    int r = row + horizon + k;
                    int o = (j * steps + s) * stepsAhead + k;
                    y[o] = targetNorm[r];
                    mask[o] = observed[r] ? 1f : 0f;
                }
            }
        }
    }

    /**
     * Feeds everything that decides this part's batches into {@code md}: sizes, the window anchors, the
     * shared input matrix, the normalised targets and which were observed (for resume fingerprints).
     */
    void digest(java.security.MessageDigest md) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.put(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).putInt(featureCount).putInt(lookback).putInt(horizon)
                .putInt(stepsAhead).putInt(anchors.length).putInt(matrix.length).putInt(targetNorm.length);
        for (int a : anchors) buf = room(md, buf).putInt(a);
        for (float v : matrix) buf = room(md, buf).putFloat(v);
        for (int r = 0; r < targetNorm.length; r++) buf = room(md, buf).putFloat(targetNorm[r]).put((byte) (observed[r] ? 1 : 0));
        md.update(buf.array(), 0, buf.position());
    }

    private static java.nio.ByteBuffer room(java.security.MessageDigest md, java.nio.ByteBuffer buf) {
        if (buf.remaining() < 8) {
            md.update(buf.array(), 0, buf.position());
            buf.clear();
        }
        return buf;
    }

    private void check(String what, float[] buf, int needed, int b) {
        if (buf == null || buf.length < needed) {
            throw new IllegalArgumentException(what + ": a batch of " + b + " " + name + " windows needs " + needed
                    + " floats, got " + (buf == null ? "null" : buf.length));
        }
    }
}
