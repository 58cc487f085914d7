package org.rnn4j.apps.gradlab;

import java.util.Arrays;
import org.rnn4j.tensor.Rng;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997, as set by Arjovsky, Shah &amp; Bengio 2016):
 * each of the T steps has two inputs, a value drawn from U(0, 1) and a marker that is 1 at exactly
 * two steps — one drawn uniformly from the first half [0, ⌊T/2⌋), one from the second half
 * [⌊T/2⌋, T) — and 0 elsewhere. The target, read at the last step, is the sum of the two marked
 * values; the loss is the mean squared error.
 *
 * <p>Baseline: the sum of two independent U(0, 1) has mean 1 and variance 2 · 1/12, so always
 * answering 1 — the best answer without memory — scores MSE 1/6 ≈ 0.167. A model beats that only
 * by carrying the first marked value across at least T/2 steps.
 */
public record AddingProblem(int length) implements GradlabTask {
    /** Input channel 0 holds the values, channel 1 the markers. */
    public static final int INPUTS = 2;

    public AddingProblem {
        if (length < 2) throw new IllegalArgumentException("length must be >= 2 for the adding problem, got " + length);
    }

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public int sequenceLength() {
        return length;
    }

    @Override
    public int inputSize() {
        return INPUTS;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public String lossName() {
        return "mse";
    }

    @Override
    public double baseline() {
        return 1.0 / 6.0;
    }

    @Override
    public double baselineLoss(TaskBatch b) {
        double sum = 0;
        for (int i = 0; i < b.batch; i++) {
            double d = b.sums[i] - 1.0;
            sum += d * d;
        }
        return sum / b.batch;
    }

    @Override
    public TaskBatch newBatch(int batch) {
        return new TaskBatch(batch, length, INPUTS, true);
    }

    @Override
    public void fill(TaskBatch b, Rng rng) {
        check(b);
        int half = length / 2;
        Arrays.fill(b.x, 0f);
        for (int i = 0; i < b.batch; i++) {
            int base = i * length * INPUTS;
            for (int t = 0; t < length; t++) b.x[base + t * INPUTS] = rng.nextFloat();
            int first = rng.nextInt(half);
            int second = half + rng.nextInt(length - half);
            b.x[base + first * INPUTS + 1] = 1f;
            b.x[base + second * INPUTS + 1] = 1f;
            b.sums[i] = b.x[base + first * INPUTS] + b.x[base + second * INPUTS];
        }
    }

    @Override
    public double lossAndGrad(float[] out, TaskBatch b, float[] dOut) {
        return lastStepLossAndGrad(out, b, dOut);
    }

    /** MSE of the last step's output against the sum, mean over the batch (as torch's MSELoss). */
    @Override
    public double lastStepLossAndGrad(float[] out, TaskBatch b, float[] dOut) {
        check(b);
        int s = length;
        requireLength("out", out, b.batch * s);
        if (dOut != null) {
            requireLength("dOut", dOut, b.batch * s);
            Arrays.fill(dOut, 0f);
        }
        float scale = (float) (2.0 / b.batch);
        double sum = 0;
        for (int i = 0; i < b.batch; i++) {
            int at = i * s + s - 1;
            float diff = out[at] - b.sums[i];
            sum += (double) diff * diff;
            if (dOut != null) dOut[at] = diff * scale;
        }
        return sum / b.batch;
    }

    private void check(TaskBatch b) {
        if (b.steps != length || b.inputSize != INPUTS || b.sums == null) {
            throw new IllegalArgumentException("batch was made for another task: expected " + length + " steps × "
                    + INPUTS + " inputs with sums, got " + b.steps + " × " + b.inputSize);
        }
    }

    static void requireLength(String name, float[] a, int expected) {
        if (a.length != expected) {
            throw new org.rnn4j.tensor.ShapeException(name + ": expected " + expected + " values, got " + a.length);
        }
    }
}
