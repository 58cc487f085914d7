package org.rnn4j.apps.forecast;

import org.rnn4j.nn.CellKind;

/**
 * The network and its training, for a forecaster.
 *
 * @param residual  predict the change from the last observed target value rather than the value:
 *                  the untrained network then starts at persistence, which is hard to beat one step ahead
 * @param patience  epochs without a better validation loss before stopping (the best weights are restored)
 * @param ensemble  independently seeded networks whose forecasts are averaged (1 = a single network)
 * @param ema       decay of an exponential moving average of the weights after every update, in [0, 1);
 *                  0 = off. When on, validation, early stopping and the saved model use the averaged weights
 *                  (the end point of SGD is noisy; its recent average is a better model)
 * @param schedule  how the learning rate changes within a network's training ({@link LrSchedule})
 * @param refit     after early stopping has chosen the number of epochs, train a fresh network (same seed)
 *                  on the training and validation windows for that many epochs and keep it (the
 *                  validation period is the most recent data before the test period)
 * @param lossSteps the training loss covers the outputs at the last this many input steps of each window (each
 *                  forecasting {@code horizon} steps ahead of its own step, as the last one does); 1 = the last
 *                  step only. More steps give more targets per window; validation always scores the last step
 * @param inputNoise standard deviation of Gaussian noise added to the (normalised) training inputs, drawn anew
 *                  for every batch; 0 = off. A regulariser: the targets and the change base are not noised
 * @param linearBase the networks learn the correction to a ridge regression's forecast from the same window
 *                  ({@link LinearBaseline}, fitted on the training windows first, penalty chosen on validation):
 *                  the linear part of the mapping, which a recurrent network learns slowly and sensitively to its
 *                  seed, is solved exactly, and the network models what it misses. Not with {@code residual}, and
 *                  only with {@code lossSteps} 1 (the linear model reads the whole window)
 */
public record ForecastModelConfig(CellKind cell, int hiddenSize, int layers, double dropout, double lr,
                                  double weightDecay, int batchSize, int maxEpochs, int patience, double clipNorm,
                                  boolean residual, int ensemble, long seed, double ema, LrSchedule schedule,
                                  boolean refit, int lossSteps, double inputNoise, boolean linearBase) {
    public ForecastModelConfig {
        if (cell == null) throw new IllegalArgumentException("cell must be given");
        if (hiddenSize <= 0) throw new IllegalArgumentException("hiddenSize must be > 0, got " + hiddenSize);
        if (layers <= 0) throw new IllegalArgumentException("layers must be > 0, got " + layers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (weightDecay < 0) throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        if (maxEpochs <= 0) throw new IllegalArgumentException("maxEpochs must be > 0, got " + maxEpochs);
        if (patience <= 0) throw new IllegalArgumentException("patience must be > 0, got " + patience);
        if (clipNorm < 0) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
        if (ensemble <= 0) throw new IllegalArgumentException("ensemble must be > 0, got " + ensemble);
        if (!(ema >= 0 && ema < 1)) throw new IllegalArgumentException("ema must be in [0, 1), got " + ema);
        if (schedule == null) throw new IllegalArgumentException("schedule must be given");
        if (lossSteps < 1) throw new IllegalArgumentException("lossSteps must be >= 1, got " + lossSteps);
        if (!(inputNoise >= 0 && inputNoise < 10)) throw new IllegalArgumentException("inputNoise must be in [0, 10), got " + inputNoise);
        if (linearBase && residual) throw new IllegalArgumentException("residual must be false with linearBase (one base), got residual = true");
        if (linearBase && lossSteps > 1) throw new IllegalArgumentException("linearBase needs lossSteps 1, got " + lossSteps);
    }

    /** Without weight averaging, with a constant learning rate, no refit. */
    public ForecastModelConfig(CellKind cell, int hiddenSize, int layers, double dropout, double lr, double weightDecay,
            int batchSize, int maxEpochs, int patience, double clipNorm, boolean residual, int ensemble, long seed) {
        this(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience, clipNorm, residual, ensemble,
                seed, 0, LrSchedule.CONSTANT, false, 1, 0, false);
    }

    public ForecastModelConfig withEma(double v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, v, schedule, refit, lossSteps, inputNoise, linearBase);
    }

    public ForecastModelConfig withSchedule(LrSchedule v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, ema, v, refit, lossSteps, inputNoise, linearBase);
    }

    public ForecastModelConfig withLossSteps(int v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, ema, schedule, refit, v, inputNoise, linearBase);
    }

    public ForecastModelConfig withInputNoise(double v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, ema, schedule, refit, lossSteps, v, linearBase);
    }

    public ForecastModelConfig withRefit(boolean v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, ema, schedule, v, lossSteps, inputNoise, linearBase);
    }

    public ForecastModelConfig withLinearBase(boolean v) {
        return new ForecastModelConfig(cell, hiddenSize, layers, dropout, lr, weightDecay, batchSize, maxEpochs, patience,
                clipNorm, residual, ensemble, seed, ema, schedule, refit, lossSteps, inputNoise, v);
    }

    /** The defaults of {@code rnn4j forecast}: a small LSTM, Adam, early stopping. */
    public static ForecastModelConfig defaults() {
        return new ForecastModelConfig(CellKind.LSTM, 64, 1, 0.0, 2e-3, 0, 32, 200, 20, 1.0, true, 1, 1);
    }
}
