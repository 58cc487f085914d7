package org.rnn4j.apps.lm;

import java.util.List;

/**
 * What a training run did.
 *
 * @param bestValLoss      lowest validation loss (nats per token); the model holds those weights
 * @param bestStep         step at which it was reached
 * @param trainLoss        mean training loss over the steps since the previous evaluation, at the end
 * @param tokensPerSecond  training tokens per second of training time (evaluations excluded)
 * @param epochs           passes over the training text done (fractional)
 * @param steps            optimizer steps
 * @param elapsedSeconds   wall-clock time of the whole run, evaluations included
 * @param stopReason       "epochs" or "time budget"
 * @param finalLr          learning rate at the end (after plateau decays)
 * @param history          one point per evaluation
 */
public record LmTrainResult(double bestValLoss, long bestStep, double trainLoss, double tokensPerSecond, double epochs,
                            long steps, double elapsedSeconds, String stopReason, double finalLr, List<EvalPoint> history) {

    /**
     * One evaluation.
     *
     * @param trainLoss mean training loss of the steps since the previous evaluation
     * @param best      whether this evaluation set a new best (and was checkpointed)
     */
    public record EvalPoint(long step, double epoch, double elapsedSeconds, double trainLoss, double valLoss, double lr,
                            boolean best) {}
}
