package org.rnn4j.apps.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forecast errors in the target's own units.
 *
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param count how many (window, step) points were scored
 */
public record Metrics(double mae, double rmse, int count) {

    /**
     * Scores {@code predicted} against {@code actual} wherever {@code actual} is not NaN (NaN marks a
     * missing target, as in {@link WindowSet#actual()}).
     *
     * @param predicted [N*K] forecasts in target units
     * @param actual [N*K] observed values, NaN where missing
     * @throws IllegalArgumentException when the lengths differ or a scored forecast is not finite
     */
    public static Metrics of(double[] predicted, double[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("predictions: expected " + actual.length + " values (windows x steps ahead), got "
                    + predicted.length);
        }
        double abs = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(actual[i])) continue;
            double p = predicted[i];
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException("predictions[" + i + "] is " + p + "; forecasts must be finite");
            }
            double e = p - actual[i];
            abs += Math.abs(e);
            sq += e * e;
            n++;
        }
        if (n == 0) return new Metrics(Double.NaN, Double.NaN, 0);
        return new Metrics(abs / n, Math.sqrt(sq / n), n);
    }

    /** Scores only step {@code k} of each window ([N, K] arrays). */
    public static Metrics ofStep(double[] predicted, double[] actual, int stepsAhead, int k) {
        int n = actual.length / stepsAhead;
        double[] p = new double[n];
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = predicted[i * stepsAhead + k];
            a[i] = actual[i * stepsAhead + k];
        }
        return of(p, a);
    }

    /** {@code {"mae": .., "rmse": ..}}, the shape metrics.json uses. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mae", mae);
        m.put("rmse", rmse);
        return m;
    }
}
