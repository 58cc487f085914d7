package org.rnn4j.apps.gradlab;

/**
 * One batch of a {@link GradlabTask}: inputs and targets, allocated once and refilled by {@link
 * GradlabTask#fill}. Legend: B sequences, S steps per sequence, I input features.
 */
public final class TaskBatch {
    /** B. */
    public final int batch;
    /** S, the number of time steps of each sequence. */
    public final int steps;
    /** I. */
    public final int inputSize;
    /** [B, S, I] batch-first inputs. */
    public final float[] x;
    /** [B] regression targets, read at the last step (adding problem); null otherwise. */
    public final float[] sums;
    /** [B, S] class targets of every step (copy task); null otherwise. */
    public final int[] labels;

    TaskBatch(int batch, int steps, int inputSize, boolean regression) {
        if (batch <= 0) throw new IllegalArgumentException("batch must be > 0, got " + batch);
        this.batch = batch;
        this.steps = steps;
        this.inputSize = inputSize;
        this.x = new float[Math.multiplyExact(Math.multiplyExact(batch, steps), inputSize)];
        this.sums = regression ? new float[batch] : null;
        this.labels = regression ? null : new int[Math.multiplyExact(batch, steps)];
    }
}
