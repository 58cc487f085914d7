package org.rnn4j.apps.forecast;

import org.rnn4j.nn.CellKind;

/**
 * The network and its training, for a forecaster.
 *
 * @param residual  predict the change from the last observed target value rather than the value:
 *                  the untrained network then starts at persistence, which is hard to beat one step ahead
 * @param patience  epochs without a better validation loss before stopping (the best weights are restored)
 * @param ensemble  independently seeded networks whose forecasts are averaged (1 = a single network)
 */
public record ForecastModelConfig(CellKind cell, int hiddenSize, int layers, double dropout, double lr,
                                  double weightDecay, int batchSize, int maxEpochs, int patience, double clipNorm,
                                  boolean residual, int ensemble, long seed) {
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
    }

    /** The defaults of {@code rnn4j forecast}: a small LSTM, Adam, early stopping. */
    public static ForecastModelConfig defaults() {
        return new ForecastModelConfig(CellKind.LSTM, 64, 1, 0.0, 2e-3, 0, 32, 200, 20, 1.0, true, 1, 1);
    }
}
