package org.rnn4j.apps.forecast;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adaptive bias correction: a forecast issued at time t is lowered by the mean error (forecast − observed) of the
 * model's forecasts whose targets were observed at or before t and within the last {@code days} days before t, step
 * ahead by step ahead. A network trained on earlier years keeps a systematic error when the climate of the forecast
 * period shifts (a warmer year: forecasts too cold); the recent errors are known when the forecast is made, so
 * subtracting them uses no future information. With no such error (the start of a series) nothing is subtracted.
 *
 * <p>Only errors of targets at times ≤ t enter the forecast at t, whatever the forecasts and observations after t
 * are (a test changes them and checks the corrected forecast stays the same).
 */
public final class BiasCorrection {

    /** The windows {@code --bias-correction auto} chooses from on the validation part (0 = no correction). */
    public static final List<Integer> CANDIDATE_DAYS = List.of(0, 7, 14, 30, 60, 90);

    private BiasCorrection() {}

    /**
     * For each origin t, the mean of the errors whose time is in (t − window, t]; 0 where there is none.
     *
     * @param errorTimes when each error became known (its target's time)
     * @param errors forecast − observed, same length; not NaN
     * @param origins the times the corrected forecasts are issued
     * @param counts if not null, receives how many errors each mean used
     */
    static double[] meanRecentError(LocalDateTime[] errorTimes, double[] errors, LocalDateTime[] origins, Duration window,
            int[] counts) {
        if (errorTimes.length != errors.length) {
            throw new IllegalArgumentException("errors: expected " + errorTimes.length + " values (one per error time), got " + errors.length);
        }
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be > 0, got " + window);
        int n = errors.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparing(i -> errorTimes[i]));
        LocalDateTime[] sortedTimes = new LocalDateTime[n];
        double[] prefix = new double[n + 1]; // prefix[i] = sum of the first i errors in time order
        for (int i = 0; i < n; i++) {
            sortedTimes[i] = errorTimes[order[i]];
            prefix[i + 1] = prefix[i] + errors[order[i]];
        }
        double[] out = new double[origins.length];
        for (int j = 0; j < origins.length; j++) {
            int hi = upperBound(sortedTimes, origins[j]); // errors at times <= t
            int lo = upperBound(sortedTimes, origins[j].minus(window)); // errors at times <= t - window: too old
            int c = hi - lo;
            out[j] = c > 0 ? (prefix[hi] - prefix[lo]) / c : 0;
            if (counts != null) counts[j] = c;
        }
        return out;
    }

    /** The number of entries of sorted {@code a} that are <= {@code t}. */
    private static int upperBound(LocalDateTime[] a, LocalDateTime t) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].isAfter(t)) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /**
     * Corrects the forecasts of every window of {@code windows}, using the errors of the windows themselves as their
     * targets become observed (pass the parts chronologically joined, e.g. train, validation and test, so the first
     * test forecasts use the validation errors).
     *
     * @param predictions [N, K] raw forecasts of {@code windows}, in the target's units
     * @param days the window of past errors, > 0 (0 returns a copy: no correction)
     * @return [N, K] corrected forecasts
     */
    public static double[] correct(WindowSet windows, double[] predictions, int days) {
        int n = windows.size(), k = windows.stepsAhead();
        if (predictions.length != n * k) {
            throw new IllegalArgumentException("predictions: expected " + n + " x " + k + " values for the " + windows.name()
                    + " windows, got " + predictions.length);
        }
        if (days < 0) throw new IllegalArgumentException("days must be >= 0, got " + days);
        double[] out = predictions.clone();
        if (days == 0) return out;
        double[] actual = windows.actual();
        LocalDateTime[] origins = new LocalDateTime[n];
        for (int i = 0; i < n; i++) origins[i] = windows.anchorTime(i);
        for (int q = 0; q < k; q++) {
            ObservedErrors e = ObservedErrors.of(windows, actual, predictions, q);
            double[] bias = meanRecentError(e.times(), e.errors(), origins, Duration.ofDays(days), null);
            for (int i = 0; i < n; i++) out[i * k + q] -= bias[i];
        }
        return out;
    }

    /**
     * The correction for a forecast issued at {@code origin} from the forecasts of {@code history} (windows whose
     * targets are in the file): per step ahead, the mean error of those observed in (origin − days, origin].
     *
     * @param counts if not null, [K] receives how many errors each step's mean used
     * @return [K] values to subtract from the forecast
     */
    public static double[] latest(WindowSet history, double[] predictions, LocalDateTime origin, int days, int[] counts) {
        int k = history.stepsAhead(), n = history.size();
        double[] out = new double[k];
        if (days <= 0 || n == 0) return out;
        double[] actual = history.actual();
        for (int q = 0; q < k; q++) {
            ObservedErrors e = ObservedErrors.of(history, actual, predictions, q);
            int[] c = new int[1];
            out[q] = meanRecentError(e.times(), e.errors(), new LocalDateTime[] {origin}, Duration.ofDays(days), c)[0];
            if (counts != null) counts[q] = c[0];
        }
        return out;
    }

    /**
     * A trained forecaster's test forecasts with the correction applied, and how its window was chosen.
     *
     * @param days the window used (0 = none)
     * @param test [N_test, K] corrected test forecasts, in the target's units
     * @param testUncorrected [N_test, K] the network's own test forecasts
     * @param validationMaeByDays the validation MAE of every window scored, in the order scored (days as text)
     */
    public record Applied(int days, double[] test, double[] testUncorrected, Map<String, Double> validationMaeByDays) {}

    /**
     * Forecasts every window of {@code data} in time order (training, validation, test: their errors become known as
     * time passes), scores each window of {@link #CANDIDATE_DAYS} (and {@code fixedDays}) by the MAE of the corrected
     * validation forecasts, with the training part's errors as their history, and corrects the test forecasts with
     * {@code fixedDays}, or with the best-scoring window when it is null.
     */
    public static Applied apply(ForecastDataset data, Forecaster forecaster, Integer fixedDays) {
        if (fixedDays != null && fixedDays < 0) throw new IllegalArgumentException("fixedDays must be >= 0, got " + fixedDays);
        WindowSet trainVal = data.train().concat("train+validation", data.validation());
        WindowSet all = trainVal.concat("all", data.test());
        double[] raw = forecaster.predict(all);
        int k = data.test().stepsAhead(), nTrain = data.train().size() * k, ntv = trainVal.size() * k;
        double[] rawTrainVal = Arrays.copyOf(raw, ntv);
        double[] valActual = data.validation().actual();
        List<Integer> candidates = new ArrayList<>(CANDIDATE_DAYS);
        if (fixedDays != null && !candidates.contains(fixedDays)) candidates.add(fixedDays);
        Map<String, Double> valMae = new LinkedHashMap<>();
        int best = 0;
        double bestMae = Double.POSITIVE_INFINITY;
        for (int d : candidates) {
            double[] c = correct(trainVal, rawTrainVal, d);
            double mae = Metrics.of(Arrays.copyOfRange(c, nTrain, ntv), valActual).mae();
            valMae.put(Integer.toString(d), mae);
            if (mae < bestMae) {
                bestMae = mae;
                best = d;
            }
        }
        int days = fixedDays != null ? fixedDays : best;
        double[] corrected = correct(all, raw, days);
        return new Applied(days, Arrays.copyOfRange(corrected, ntv, corrected.length), Arrays.copyOfRange(raw, ntv, raw.length), valMae);
    }

    /** Step q's forecast errors (forecast − observed) of the windows whose target was observed, with the target times. */
    private record ObservedErrors(LocalDateTime[] times, double[] errors) {
        static ObservedErrors of(WindowSet windows, double[] actual, double[] predictions, int q) {
            int k = windows.stepsAhead();
            List<LocalDateTime> times = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                double a = actual[i * k + q];
                if (Double.isNaN(a)) continue;
                times.add(windows.targetTime(i, q));
                errors.add(predictions[i * k + q] - a);
            }
            return new ObservedErrors(times.toArray(LocalDateTime[]::new), errors.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
