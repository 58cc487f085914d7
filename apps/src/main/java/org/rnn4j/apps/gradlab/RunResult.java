package org.rnn4j.apps.gradlab;

import java.util.List;

/**
 * The outcome of one run. Arrays are owned by the result (not copied).
 *
 * @param spec               what was run
 * @param steps              steps completed (batches trained on, including any the divergence guard skipped)
 * @param seconds            wall-clock training time
 * @param testLoss           final test loss, NaN if the run diverged
 * @param lastFiniteTestLoss test loss of the last finite parameters (equal to testLoss unless diverged)
 * @param baselineTest       the memoryless baseline's loss on the same test set
 * @param beatBaseline       whether testLoss is below {@link LabTrainer#BEAT_FRACTION} × baselineTest
 * @param divergedAtStep     the step (1-based) at which inf/NaN appeared (stopped the run at once, so
 *                           {@code steps} is one less), or at which the divergence guard gave up (then
 *                           equal to {@code steps}), or -1
 * @param divergedReason     what became inf/NaN, or null
 * @param flowInit           gradient flow at initialisation
 * @param flowFinal          gradient flow at the end (at the last finite parameters)
 * @param trainLoss          [steps] training loss of every step
 * @param gradNorm           [steps] global gradient norm of every step, before clipping
 * @param evalSteps          steps at which the test set was evaluated: 0, every evalEvery, and the last
 * @param evalLoss           the test loss at each of evalSteps
 * @param flowHistory        gradient-flow summaries at step 0 and each evaluation
 * @param skippedSteps       steps whose update the divergence guard skipped (non-finite loss or gradient;
 *                           their trainLoss and gradNorm entries are NaN); 0 without a guard
 */
public record RunResult(RunSpec spec, long steps, double seconds, double testLoss, double lastFiniteTestLoss,
                        double baselineTest, boolean beatBaseline, long divergedAtStep, String divergedReason,
                        GradientFlow.Measurement flowInit, GradientFlow.Measurement flowFinal, float[] trainLoss,
                        float[] gradNorm, long[] evalSteps, double[] evalLoss, List<FlowPoint> flowHistory,
                        long skippedSteps) {

    public boolean diverged() {
        return divergedAtStep >= 0;
    }

    /** The first evaluation step at which the test loss was below {@code loss}, or -1. */
    public long firstStepBelow(double loss) {
        for (int i = 0; i < evalSteps.length; i++) if (evalLoss[i] < loss) return evalSteps[i];
        return -1;
    }

    /**
     * A gradient-flow summary during training.
     *
     * @param step               optimizer steps done
     * @param reach              ‖dL/dh_0‖ / ‖dL/dh_{S−1}‖
     * @param recurrentGradNorms ‖dL/dW_hh‖ per layer (last-step loss)
     */
    public record FlowPoint(long step, double reach, double[] recurrentGradNorms) {}
}
