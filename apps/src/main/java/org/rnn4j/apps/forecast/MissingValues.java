package org.rnn4j.apps.forecast;

/**
 * The missing-value policy for one numeric series on a time axis (see the package documentation):
 * interior runs of at most {@code maxInterpolation} missing values are interpolated linearly in time,
 * longer interior runs and trailing runs are filled forward, leading runs are filled backward.
 */
public final class MissingValues {
    private MissingValues() {}

    /**
     * How a column's missing values were filled.
     *
     * @param missing values missing before filling (including rows inserted into time gaps)
     * @param interpolated filled by linear interpolation
     * @param forwardFilled filled with the last observed value
     * @param backFilled leading values filled with the first observed value
     */
    public record FillCounts(int missing, int interpolated, int forwardFilled, int backFilled) {
        public static final FillCounts NONE = new FillCounts(0, 0, 0, 0);
    }

    /**
     * Fills {@code values} in place (NaN marks a missing value).
     *
     * @param values [rows] the series; must contain at least one observed value
     * @param epoch [rows] the time of each row in seconds, increasing; interpolation weights use it
     * @param maxInterpolation the longest run to interpolate, in rows
     * @return what was done
     * @throws IllegalArgumentException when every value is missing (callers check first and give a
     *     message naming the column)
     */
    public static FillCounts fill(double[] values, long[] epoch, int maxInterpolation) {
        int n = values.length;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                first = i;
                break;
            }
        }
        if (first < 0) throw new IllegalArgumentException("all " + n + " values are missing");
        int missing = 0;
        for (double v : values) if (Double.isNaN(v)) missing++;
        int back = first;
        for (int i = 0; i < first; i++) values[i] = values[first];
        int interpolated = 0;
        int forward = 0;
        int last = first; // index of the last observed value
        for (int i = first + 1; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                int run = i - last - 1;
                if (run > 0) {
                    if (run <= maxInterpolation) {
                        double a = values[last];
                        double b = values[i];
                        double t0 = epoch[last];
                        double span = epoch[i] - t0;
                        for (int j = last + 1; j < i; j++) values[j] = a + (b - a) * ((epoch[j] - t0) / span);
                        interpolated += run;
                    } else {
                        for (int j = last + 1; j < i; j++) values[j] = values[last];
                        forward += run;
                    }
                }
                last = i;
            }
        }
        for (int j = last + 1; j < n; j++) values[j] = values[last];
        forward += n - 1 - last;
        return new FillCounts(missing, interpolated, forward, back);
    }

    /**
     * Forward fill only (leading missing values take the first observed value): the value last observed
     * at or before each row, which never looks ahead. Used by the persistence baselines.
     */
    static double[] lastObserved(double[] raw) {
        double[] out = raw.clone();
        int first = -1;
        for (int i = 0; i < out.length; i++) {
            if (!Double.isNaN(out[i])) {
                first = i;
                break;
            }
        }
        if (first < 0) return out;
        for (int i = 0; i < first; i++) out[i] = out[first];
        for (int i = first + 1; i < out.length; i++) if (Double.isNaN(out[i])) out[i] = out[i - 1];
        return out;
    }
}
