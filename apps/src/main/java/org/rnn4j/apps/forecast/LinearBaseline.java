package org.rnn4j.apps.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ridge regression on the whole input window: the simplest learned forecaster, and the bar a
 * recurrent network has to clear to be worth its cost. Inputs are the window's L·F normalised values
 * plus a constant; outputs the K normalised targets; weights minimise Σ (y − x·w)² + λ·|w|² (the
 * constant is not penalised), fitted on the training windows whose targets are all observed. λ is the
 * one of {@link #LAMBDAS} (times the number of training windows) with the lowest validation MAE; with
 * no validation windows, 1e-3 · N.
 *
 * <p>Normal equations in double precision: the Gram matrix XᵀX is accumulated window by window (its
 * upper triangle), then (XᵀX + λI) W = XᵀY is solved by Cholesky for each λ.
 *
 * @param weights [(D+1), K] row-major, the last row the constant
 * @param lambda the chosen penalty
 */
public record LinearBaseline(double[] weights, int dims, int stepsAhead, double lambda) {
    public LinearBaseline {
        if (dims <= 0 || stepsAhead <= 0) throw new IllegalArgumentException("dims and stepsAhead must be > 0, got " + dims + " and " + stepsAhead);
        if (weights == null || weights.length != (long) (dims + 1) * stepsAhead) {
            throw new IllegalArgumentException("a linear model of " + dims + " inputs and " + stepsAhead + " outputs has (dims + 1) x stepsAhead = "
                    + (long) (dims + 1) * stepsAhead + " weights, got " + (weights == null ? "none" : weights.length));
        }
        if (!(lambda >= 0)) throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
    }

    /** Candidate penalties, as multiples of the number of training windows. */
    static final double[] LAMBDAS = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};

    /**
     * Largest window (L·F values) fitted: the normal equations cost (L·F)² memory and (L·F)³ time, so a
     * year of daily inputs with many columns would take minutes for a reference line.
     */
    public static final int MAX_INPUTS = 2000;

    /**
     * Fits on {@code data}'s training windows, choosing λ on its validation windows.
     *
     * @throws IllegalArgumentException if the window has more than {@link #MAX_INPUTS} values or no training
     *     window has all its targets observed
     */
    public static LinearBaseline fit(ForecastDataset data) {
        return fit(data.train(), data.validation());
    }

    /** Fits on {@code train}, choosing λ on {@code val} (1e-3 · N when it is empty); as {@link #fit(ForecastDataset)}. */
    public static LinearBaseline fit(WindowSet train, WindowSet val) {
        int k = train.stepsAhead(), d = train.lookback() * train.featureCount(), p = d + 1;
        if (d > MAX_INPUTS) {
            throw new IllegalArgumentException("the window has " + train.lookback() + " x " + train.featureCount() + " = " + d
                    + " values; the linear baseline is fitted up to " + MAX_INPUTS);
        }
        double[] gram = new double[p * p];
        double[] xty = new double[p * k];
        double[] x = new double[p];
        float[] xf = new float[d], y = new float[k], mask = new float[k];
        int[] one = new int[1];
        int used = 0;
        for (int i = 0; i < train.size(); i++) {
            one[0] = i;
            train.copyBatch(one, xf, y, mask);
            boolean all = true;
            for (float m : mask) all &= m == 1f;
            if (!all) continue;
            used++;
            for (int a = 0; a < d; a++) x[a] = xf[a];
            x[d] = 1;
            for (int a = 0; a < p; a++) {
                double xa = x[a];
                if (xa == 0) continue; // one-hot columns are mostly zero
                int row = a * p;
                for (int b = a; b < p; b++) gram[row + b] += xa * x[b];
                for (int j = 0; j < k; j++) xty[a * k + j] += xa * y[j];
            }
        }
        if (used == 0) throw new IllegalArgumentException("no training window has all its targets observed");
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a];
        }
        LinearBaseline best = null;
        double bestMae = Double.POSITIVE_INFINITY;
        double[] candidates = val.isEmpty() ? new double[] {1e-3} : LAMBDAS;
        for (double c : candidates) {
            LinearBaseline m = new LinearBaseline(solve(gram, xty, p, k, c * used), d, k, c * used);
            double mae = val.isEmpty() ? 0 : m.normalisedMae(val);
            if (best == null || mae < bestMae) {
                best = m;
                bestMae = mae;
            }
        }
        return best;
    }

    /** (G + λ·I without the constant's entry) W = B by Cholesky; G is [p, p], B [p, k]. */
    static double[] solve(double[] gram, double[] b, int p, int k, double lambda) {
        double[] l = gram.clone();
        for (int a = 0; a < p - 1; a++) l[a * p + a] += lambda;
        // a tiny ridge on the constant too, so that a constant input column cannot make G singular
        l[(p - 1) * p + p - 1] += 1e-9 * Math.max(1, l[(p - 1) * p + p - 1]);
        for (int j = 0; j < p; j++) {
            double s = l[j * p + j];
            for (int m = 0; m < j; m++) s -= l[j * p + m] * l[j * p + m];
            if (!(s > 0)) throw new IllegalStateException("ridge system is not positive definite at column " + j + " (λ = " + lambda + ")");
            double djj = Math.sqrt(s);
            l[j * p + j] = djj;
            for (int i = j + 1; i < p; i++) {
                double t = l[i * p + j];
                for (int m = 0; m < j; m++) t -= l[i * p + m] * l[j * p + m];
                l[i * p + j] = t / djj;
            }
        }
        double[] w = new double[p * k];
        for (int c = 0; c < k; c++) {
            double[] z = new double[p];
            for (int i = 0; i < p; i++) {
                double t = b[i * k + c];
                for (int m = 0; m < i; m++) t -= l[i * p + m] * z[m];
                z[i] = t / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--) {
                double t = z[i];
                for (int m = i + 1; m < p; m++) t -= l[m * p + i] * w[m * k + c];
                w[i * k + c] = t / l[i * p + i];
            }
        }
        return w;
    }

    /** Normalised forecasts [N, K] for every window of {@code windows}. */
    public double[] predictNormalised(WindowSet windows) {
        return scan(windows, null);
    }

    /** Forecasts [N, K] in the target's own units. */
    public double[] predict(WindowSet windows, FeatureSpec spec) {
        double[] out = predictNormalised(windows);
        for (int i = 0; i < out.length; i++) out[i] = spec.denormaliseTarget(out[i]);
        return out;
    }

    private double normalisedMae(WindowSet windows) {
        double[] sumAndCount = new double[2];
        scan(windows, sumAndCount);
        return sumAndCount[1] == 0 ? 0 : sumAndCount[0] / sumAndCount[1];
    }

    /**
     * One pass over the windows: the normalised forecasts [N, K], and, if {@code absErrorSumAndCount} is
     * given, the sum of absolute errors over observed targets and their count added into it.
     */
    private double[] scan(WindowSet windows, double[] absErrorSumAndCount) {
        int k = stepsAhead, n = windows.size();
        float[] xf = new float[dims], y = new float[k], mask = new float[k];
        int[] one = new int[1];
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            one[0] = i;
            windows.copyBatch(one, xf, y, mask);
            for (int j = 0; j < k; j++) {
                double s = forecast(xf, 0, j);
                out[i * k + j] = s;
                if (absErrorSumAndCount != null && mask[j] != 0) {
                    absErrorSumAndCount[0] += Math.abs(s - y[j]);
                    absErrorSumAndCount[1]++;
                }
            }
        }
        return out;
    }

    /** The normalised forecast of step {@code q} for the window of L·F values at {@code x[offset..]}. */
    public double forecast(float[] x, int offset, int q) {
        int k = stepsAhead;
        double s = weights[dims * k + q];
        for (int a = 0; a < dims; a++) s += x[offset + a] * weights[a * k + q];
        return s;
    }

    /** The fitted model as JSON-ready values ({@link #fromJson} reads it back exactly). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", dims);
        m.put("steps_ahead", stepsAhead);
        m.put("lambda", lambda);
        List<Double> w = new ArrayList<>(weights.length);
        for (double v : weights) w.add(v);
        m.put("weights", w);
        return m;
    }

    /**
     * Reads {@link #toJson}.
     *
     * @throws IllegalArgumentException if a key is missing or the weights do not have (dims + 1) · steps_ahead values
     */
    public static LinearBaseline fromJson(Map<String, Object> m) {
        if (!(m.get("lambda") instanceof Number l) || !(m.get("weights") instanceof List<?> w)) {
            throw new IllegalArgumentException("a linear model needs the whole numbers dims and steps_ahead, the number lambda and the list"
                    + " weights; got the keys " + m.keySet());
        }
        int dims = wholeNumber(m, "dims"), steps = wholeNumber(m, "steps_ahead");
        double[] weights = new double[w.size()];
        for (int i = 0; i < weights.length; i++) {
            if (!(w.get(i) instanceof Number v)) throw new IllegalArgumentException("linear weight " + i + " is not a number: " + w.get(i));
            weights[i] = v.doubleValue();
        }
        return new LinearBaseline(weights, dims, steps, l.doubleValue());
    }

    private static int wholeNumber(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0 && ((Number) v).longValue() <= Integer.MAX_VALUE) {
            return ((Number) v).intValue();
        }
        throw new IllegalArgumentException("a linear model's " + key + " must be a whole number > 0, got " + v);
    }

    /** "ridge regression on the 48×17 window, λ = …". */
    public String describe(int lookback, int features) {
        return String.format(Locale.ROOT, "ridge regression on the %d x %d input window, lambda %.3g (chosen on validation)", lookback,
                features, lambda);
    }
}
