package org.rnn4j.apps.gradlab;

import org.rnn4j.tensor.Rng;

/**
 * A long-range benchmark task: a seeded generator of sequences whose answer depends on inputs far
 * back in time, with a known baseline — the loss of the best predictor that remembers nothing.
 *
 * <p>The model is a recurrent layer with a linear head emitting {@link #outputSize()} values per
 * step; the task turns those outputs into a loss and its gradient.
 */
public sealed interface GradlabTask permits AddingProblem, CopyMemory {

    /** The task's command-line name: {@code adding} or {@code copy}. */
    String name();

    /** T, the length parameter of the task (the time lag to bridge). */
    int length();

    /** S, the number of time steps of a sequence (T for adding, T + 20 for copy). */
    int sequenceLength();

    /** Input features per step. */
    int inputSize();

    /** Outputs per step (1 for adding, 9 classes for copy). */
    int outputSize();

    /** "mse" or "cross-entropy". */
    String lossName();

    /** The expected loss of the best memoryless predictor (theory, not an estimate). */
    double baseline();

    /** The memoryless predictor's loss on this very batch (its empirical baseline). */
    double baselineLoss(TaskBatch b);

    /** A batch of {@code batch} sequences to {@link #fill}. */
    TaskBatch newBatch(int batch);

    /** Draws fresh sequences into {@code b} from {@code rng}. */
    void fill(TaskBatch b, Rng rng);

    /**
     * The training loss of the outputs of a forward pass over {@code b}, and its gradient.
     *
     * @param out  [B, S, O] model outputs
     * @param dOut [B, S, O] overwritten with dLoss/dOut (zero where the loss does not look); may be
     *             null for the loss only
     */
    double lossAndGrad(float[] out, TaskBatch b, float[] dOut);

    /**
     * The loss of the last step alone (mean over the batch) and its gradient: the loss whose
     * gradient {@link GradientFlow} follows back in time.
     */
    double lastStepLossAndGrad(float[] out, TaskBatch b, float[] dOut);

    /** The task named {@code name} ("adding" or "copy") with length parameter {@code length}. */
    static GradlabTask of(String name, int length) {
        return switch (name) {
            case "adding" -> new AddingProblem(length);
            case "copy" -> new CopyMemory(length);
            default -> throw new IllegalArgumentException("task must be adding or copy, got '" + name + "'");
        };
    }
}
