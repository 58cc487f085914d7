package org.rnn4j.apps.forecast;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The forecasts a model must beat, for every target of a window set, in the target's own units
 * ([N, K] arrays like {@link WindowSet#actual()}).
 *
 * <ul>
 *   <li><b>Persistence</b>: the last observed target value at or before the window's last input,
 *       for every step ahead.</li>
 *   <li><b>Seasonal persistence</b>: the value one season before the target time — a day for
 *       sub-daily steps, a year for daily to monthly steps, none for yearly steps — going back whole
 *       seasons until the time is not after the last input (so a 48-hour forecast from hourly data uses
 *       the value 2 days before). The last observed value at or before that time is used. Absent
 *       ({@code null}) when some target has no such earlier row in the series.</li>
 *   <li><b>Climatology</b>: the mean of the observed training-part targets on the same day of year
 *       ± {@code max(7 days, half a step)} (circular over the year), and for sub-daily steps at the
 *       same hour of day; for monthly steps the same month; for yearly steps the training mean. Where
 *       that window holds no training value: the hour-of-day mean, then the training mean.</li>
 * </ul>
 *
 * @param persistence [N*K]
 * @param seasonalPersistence [N*K], or null when the data lacks a season of history
 * @param season the season used ("1 year", "1 day"), or null when the step has none
 * @param seasonalNote why seasonal persistence is absent, or empty
 * @param climatology [N*K]
 * @param climatologyNote how climatology was computed
 */
public record Baselines(double[] persistence, double[] seasonalPersistence, String season, String seasonalNote,
        double[] climatology, String climatologyNote) {

    /** The baselines for every target of {@code windows}, a window set of {@code data}. */
    public static Baselines of(ForecastDataset data, WindowSet windows) {
        LocalDateTime[] times = data.timesView();
        double[] target = data.targetView();
        double[] last = MissingValues.lastObserved(target);
        TimeStep step = data.step();
        int n = windows.size();
        int k = windows.stepsAhead();

        double[] persistence = new double[n * k];
        for (int i = 0; i < n; i++) {
            double v = last[windows.anchorRow(i)];
            for (int j = 0; j < k; j++) persistence[i * k + j] = v;
        }

        // Seasonal persistence.
        String season = step.isSubDaily() ? "1 day" : step.months() >= 12 ? null : "1 year";
        double[] seasonal = null;
        String seasonalNote = "";
        if (season == null) {
            seasonalNote = "no season shorter than the " + step.describe() + " step";
        } else {
            Map<LocalDateTime, Integer> rowOf = new HashMap<>(times.length * 2);
            for (int r = 0; r < times.length; r++) rowOf.put(times[r], r);
            long[] epoch = new long[times.length];
            for (int r = 0; r < times.length; r++) epoch[r] = times[r].toEpochSecond(ZoneOffset.UTC);
            seasonal = new double[n * k];
            outer:
            for (int i = 0; i < n; i++) {
                LocalDateTime anchor = windows.anchorTime(i);
                for (int j = 0; j < k; j++) {
                    LocalDateTime t = windows.targetTime(i, j);
                    LocalDateTime src = t;
                    for (int m = 1; m <= 10_000; m++) {
                        src = step.isSubDaily() ? t.minusDays(m) : t.minusYears(m);
                        if (!src.isAfter(anchor)) break; // never use a value after the last input
                    }
                    Integer r = rowOf.get(src);
                    if (r == null && step.seconds() > 0) r = nearestRow(epoch, src, step.seconds() / 2);
                    if (r == null || Double.isNaN(last[r])) {
                        seasonal = null;
                        seasonalNote = "needs " + season + " of history before every target (none at "
                                + src + " for the target at " + t + ")";
                        break outer;
                    }
                    seasonal[i * k + j] = last[r];
                }
            }
        }

        // Climatology from the training part.
        double[] clim = new double[n * k];
        Climatology c = new Climatology(times, target, data.trainEnd(), step);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) clim[i * k + j] = c.at(windows.targetTime(i, j));
        }
        return new Baselines(persistence, seasonal, season, seasonalNote, clim, c.describe());
    }

    /**
     * The row whose time is nearest to {@code t}, if within {@code tolerance} seconds: a year back from
     * a weekly series rarely lands exactly on a row.
     */
    private static Integer nearestRow(long[] epoch, LocalDateTime t, long tolerance) {
        long s = t.toEpochSecond(ZoneOffset.UTC);
        int i = Arrays.binarySearch(epoch, s);
        if (i >= 0) return i;
        int after = -i - 1;
        int best = -1;
        long bestDist = Long.MAX_VALUE;
        for (int j = after - 1; j <= after; j++) {
            if (j < 0 || j >= epoch.length) continue;
            long d = Math.abs(epoch[j] - s);
            if (d < bestDist) {
                bestDist = d;
                best = j;
            }
        }
        return best >= 0 && bestDist <= tolerance ? best : null;
    }

    /** Training-period means by (day of year, hour), queried with a window of days. */
    static final class Climatology {
        private static final int DAYS = 366;
        private final boolean byHour;
        private final boolean byMonth;
        private final int halfWindowDays;
        private final double[][] sum;
        private final int[][] count;
        private final double[] hourSum = new double[24];
        private final int[] hourCount = new int[24];
        private final double overall;

        Climatology(LocalDateTime[] times, double[] target, int trainEnd, TimeStep step) {
            this.byHour = step.isSubDaily();
            this.byMonth = step.months() > 0 && step.months() < 12;
            double stepDays = step.approximateSeconds() / TimeStep.DAY;
            this.halfWindowDays = (int) Math.max(7, Math.ceil(stepDays / 2));
            int hours = byHour ? 24 : 1;
            this.sum = new double[DAYS][hours];
            this.count = new int[DAYS][hours];
            double total = 0;
            int totalCount = 0;
            for (int r = 0; r < trainEnd; r++) {
                double v = target[r];
                if (Double.isNaN(v)) continue;
                int d = dayIndex(times[r]);
                int h = byHour ? times[r].getHour() : 0;
                sum[d][h] += v;
                count[d][h]++;
                hourSum[times[r].getHour()] += v;
                hourCount[times[r].getHour()]++;
                total += v;
                totalCount++;
            }
            this.overall = totalCount == 0 ? Double.NaN : total / totalCount;
        }

        /** Day of year on a 366-day calendar, so 29 February has its own slot and March 1 is always 60. */
        static int dayIndex(LocalDateTime t) {
            return LocalDate.of(2000, t.getMonthValue(), t.getDayOfMonth()).getDayOfYear() - 1;
        }

        double at(LocalDateTime t) {
            int h = byHour ? t.getHour() : 0;
            double s = 0;
            int c = 0;
            if (byMonth) {
                for (int d = 0; d < DAYS; d++) {
                    if (LocalDate.ofYearDay(2000, d + 1).getMonthValue() == t.getMonthValue()) {
                        s += sum[d][0];
                        c += count[d][0];
                    }
                }
            } else if (step0()) {
                return overall;
            } else {
                int d0 = dayIndex(t);
                for (int dd = -halfWindowDays; dd <= halfWindowDays; dd++) {
                    int d = Math.floorMod(d0 + dd, DAYS);
                    s += sum[d][h];
                    c += count[d][h];
                }
            }
            if (c > 0) return s / c;
            if (byHour && hourCount[t.getHour()] > 0) return hourSum[t.getHour()] / hourCount[t.getHour()];
            return overall;
        }

        /** Yearly steps: no season within the year. */
        private boolean step0() {
            return halfWindowDays > 183;
        }

        String describe() {
            if (byMonth) return "training mean for the month of year";
            if (step0()) return "training mean";
            return "training mean for the day of year ±" + halfWindowDays + " days" + (byHour ? " and hour of day" : "");
        }
    }
}
