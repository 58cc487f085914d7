package org.rnn4j.apps.gradlab;

import java.util.Arrays;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.CrossEntropyLoss;

/**
 * The copy-memory task (Hochreiter &amp; Schmidhuber 1997, as set by Arjovsky, Shah &amp; Bengio 2016).
 * The alphabet is a0 (blank), a1..a8 (data symbols) and a9 (delimiter), fed one-hot. A sequence has
 * S = T + 20 steps: 10 data symbols drawn uniformly from a1..a8, then T − 1 blanks, the delimiter,
 * and 10 more blanks. The target is blank for the first T + 10 steps and then the 10 data symbols in
 * order: the model must hold them for T steps and copy them out after the delimiter. The loss is the
 * cross-entropy over 9 classes (a0..a8), averaged over all S steps of all sequences.
 *
 * <p>Baseline: a memoryless model can output blank with certainty for the first T + 10 steps (loss
 * 0) and can only guess uniformly among the 8 symbols for the last 10 (loss ln 8 each), so its loss
 * is 10 ln 8 / (T + 20).
 */
public record CopyMemory(int length) implements GradlabTask {
    /** Data symbols to remember. */
    public static final int SYMBOLS = 10;
    /** Distinct data symbols (a1..a8). */
    public static final int CATEGORIES = 8;
    /** Input alphabet: blank, 8 data symbols, delimiter. */
    public static final int INPUTS = CATEGORIES + 2;
    /** Output classes: blank and the 8 data symbols. */
    public static final int CLASSES = CATEGORIES + 1;
    private static final int DELIMITER = CATEGORIES + 1;
    private static final CrossEntropyLoss CE = new CrossEntropyLoss();

    public CopyMemory {
        if (length < 1) throw new IllegalArgumentException("length must be >= 1 for the copy task, got " + length);
    }

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public int sequenceLength() {
        return length + 2 * SYMBOLS;
    }

    @Override
    public int inputSize() {
        return INPUTS;
    }

    @Override
    public int outputSize() {
        return CLASSES;
    }

    @Override
    public String lossName() {
        return "cross-entropy";
    }

    @Override
    public double baseline() {
        return SYMBOLS * Math.log(CATEGORIES) / sequenceLength();
    }

    /** Every sequence has exactly 10 symbols to guess, so the memoryless loss is the same on any batch. */
    @Override
    public double baselineLoss(TaskBatch b) {
        check(b);
        return baseline();
    }

    @Override
    public TaskBatch newBatch(int batch) {
        return new TaskBatch(batch, sequenceLength(), INPUTS, false);
    }

    @Override
    public void fill(TaskBatch b, Rng rng) {
        check(b);
        int s = sequenceLength();
        Arrays.fill(b.x, 0f);
        Arrays.fill(b.labels, 0);
        for (int i = 0; i < b.batch; i++) {
            int xBase = i * s * INPUTS, yBase = i * s;
            for (int t = 0; t < s; t++) {
                int symbol = 0;
                if (t < SYMBOLS) {
                    symbol = 1 + rng.nextInt(CATEGORIES);
                    b.labels[yBase + length + SYMBOLS + t] = symbol;
                } else if (t == length + SYMBOLS - 1) {
                    symbol = DELIMITER;
                }
                b.x[xBase + t * INPUTS + symbol] = 1f;
            }
        }
    }

    @Override
    public double lossAndGrad(float[] out, TaskBatch b, float[] dOut) {
        check(b);
        int rows = b.batch * sequenceLength();
        AddingProblem.requireLength("out", out, rows * CLASSES);
        if (dOut != null) AddingProblem.requireLength("dOut", dOut, rows * CLASSES);
        return CE.lossAndGrad(out, 0, rows, CLASSES, b.labels, 0, dOut, 0);
    }

    @Override
    public double lastStepLossAndGrad(float[] out, TaskBatch b, float[] dOut) {
        check(b);
        int s = sequenceLength();
        AddingProblem.requireLength("out", out, b.batch * s * CLASSES);
        if (dOut != null) {
            AddingProblem.requireLength("dOut", dOut, b.batch * s * CLASSES);
            Arrays.fill(dOut, 0f);
        }
        double sum = 0;
        for (int i = 0; i < b.batch; i++) {
            int row = i * s + s - 1;
            sum += CE.sumLossAndGrad(out, row * CLASSES, 1, CLASSES, b.labels, row, dOut, row * CLASSES, 1.0 / b.batch);
        }
        return sum / b.batch;
    }

    private void check(TaskBatch b) {
        if (b.steps != sequenceLength() || b.inputSize != INPUTS || b.labels == null) {
            throw new IllegalArgumentException("batch was made for another task: expected " + sequenceLength() + " steps × "
                    + INPUTS + " inputs with labels, got " + b.steps + " × " + b.inputSize);
        }
    }
}
