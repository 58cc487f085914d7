package org.rnn4j.apps.forecast;

import java.util.List;

/**
 * What to forecast and how to prepare the data. Immutable; change one field with the {@code with...}
 * methods, e.g. {@code ForecastOptions.forTarget("TEMP").withLookback(48).withHorizon(24)}.
 *
 * @param target the column to forecast (numeric); null only until a caller fills it in, loading fails
 *     with a message listing the numeric columns
 * @param timeColumn the time column, or comma-separated year,month,day[,hour[,minute]] columns, or
 *     null to detect it ({@link ForecastDataset} says how)
 * @param features input columns, or empty for all usable columns; the target is always an input
 * @param lookback input steps per window, or 0 for a default from the step ({@link #resolveLookback})
 * @param horizon how many steps ahead the first target is (1 = next step), >= 1
 * @param stepsAhead how many consecutive steps are forecast (targets at t+horizon ... t+horizon+stepsAhead-1)
 * @param trainFraction share of rows, from the start, for training, in (0, 1)
 * @param validationFraction share of rows after the training part for validation, in [0, 1); the test
 *     part is the rest and must not be empty
 * @param maxInterpolationSteps longest run of missing values to interpolate linearly (longer runs are
 *     filled forward), or -1 for a default from the step ({@link #resolveMaxInterpolation})
 * @param maxGapFillSteps longest gap in the timestamps (in missing steps) to fill with rows; longer gaps
 *     break the series; -1 for the same as the resolved interpolation limit
 * @param maxCategories a text column with more distinct values than this is not one-hot encoded
 *     (by default it is skipped; named explicitly, it is an error)
 * @param calendarFeatures whether to add day-of-year (and, below daily steps, hour-of-day) sine/cosine
 * @param logInputs which numeric input columns (never the target) are fed as log(1 + x) before normalisation:
 *     {@code none}, {@code auto} (the columns that are heavy-tailed in the training part: minimum >= 0 and
 *     skewness > {@value ForecastDataset#LOG_SKEWNESS}), or comma-separated column names (null = none)
 */
public record ForecastOptions(String target, String timeColumn, List<String> features, int lookback, int horizon,
        int stepsAhead, double trainFraction, double validationFraction, int maxInterpolationSteps,
        int maxGapFillSteps, int maxCategories, boolean calendarFeatures, String logInputs) {

    public ForecastOptions {
        features = features == null ? List.of() : List.copyOf(features);
        logInputs = logInputs == null ? "none" : logInputs.strip();
        if (logInputs.isEmpty()) throw new IllegalArgumentException("logInputs must be none, auto or column names, got ''");
        if (target != null && target.isBlank()) throw new IllegalArgumentException("target must not be blank");
        if (timeColumn != null && timeColumn.isBlank()) throw new IllegalArgumentException("timeColumn must not be blank");
        if (lookback < 0) throw new IllegalArgumentException("lookback must be > 0 (or 0 for the default), got " + lookback);
        if (horizon <= 0) throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        if (stepsAhead <= 0) throw new IllegalArgumentException("stepsAhead must be >= 1, got " + stepsAhead);
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (!(trainFraction + validationFraction < 1)) {
            throw new IllegalArgumentException("trainFraction + validationFraction must be < 1 to leave a test part, got "
                    + trainFraction + " + " + validationFraction);
        }
        if (maxInterpolationSteps < -1) {
            throw new IllegalArgumentException("maxInterpolationSteps must be >= 0 (or -1 for the default), got "
                    + maxInterpolationSteps);
        }
        if (maxGapFillSteps < -1) {
            throw new IllegalArgumentException("maxGapFillSteps must be >= 0 (or -1 for the default), got " + maxGapFillSteps);
        }
        if (maxCategories < 2) throw new IllegalArgumentException("maxCategories must be >= 2, got " + maxCategories);
    }

    /** Defaults: detect time, all features, lookback from the step, 1 step ahead, 70/10/20 split. */
    public static ForecastOptions forTarget(String target) {
        return new ForecastOptions(target, null, List.of(), 0, 1, 1, 0.7, 0.1, -1, -1, 20, true, "none");
    }

    /**
     * The default task on the embedded Seattle data: tomorrow's {@code temp_max} from the last days
     * (the daily default lookback) of every column.
     */
    public static ForecastOptions seattleDefault() {
        return forTarget(ForecastDataset.DEFAULT_TARGET);
    }

    public ForecastOptions withTarget(String v) {
        return new ForecastOptions(v, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withTimeColumn(String v) {
        return new ForecastOptions(target, v, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withFeatures(List<String> v) {
        return new ForecastOptions(target, timeColumn, v, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withLookback(int v) {
        return new ForecastOptions(target, timeColumn, features, v, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withHorizon(int v) {
        return new ForecastOptions(target, timeColumn, features, lookback, v, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withStepsAhead(int v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, v, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withSplit(double train, double validation) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, train, validation,
                maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withMaxInterpolationSteps(int v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, v, maxGapFillSteps, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withMaxGapFillSteps(int v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, v, maxCategories, calendarFeatures, logInputs);
    }

    public ForecastOptions withMaxCategories(int v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, v, calendarFeatures, logInputs);
    }

    public ForecastOptions withLogInputs(String v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, calendarFeatures, v);
    }

    public ForecastOptions withCalendarFeatures(boolean v) {
        return new ForecastOptions(target, timeColumn, features, lookback, horizon, stepsAhead, trainFraction,
                validationFraction, maxInterpolationSteps, maxGapFillSteps, maxCategories, v, logInputs);
    }

    /**
     * The lookback to use: the given one, or by step: two days of sub-daily steps (hourly: 48; between
     * 12 and 192 steps), 3 daily steps (plus the horizon beyond one day), half a year of weekly steps,
     * 24 months, 10 years. Daily series are short (a few years = ~1,000 training windows): longer
     * windows let the network overfit — measured in docs/forecast.md.
     */
    public int resolveLookback(TimeStep step) {
        if (lookback > 0) return lookback;
        if (step.months() > 0) return step.months() >= 12 ? 10 : Math.max(6, 24 / step.months());
        long s = step.seconds();
        if (s < TimeStep.DAY) return Math.clamp(Math.round(2.0 * TimeStep.DAY / s), 12, 192);
        if (s < 7 * TimeStep.DAY) return 2 + horizon;
        return Math.clamp(Math.round(182.0 * TimeStep.DAY / s), 6, 52);
    }

    /**
     * The interpolation limit to use: the given one, or one day's worth of sub-daily steps (hourly: 24),
     * or 3 steps for daily and longer steps.
     */
    public int resolveMaxInterpolation(TimeStep step) {
        if (maxInterpolationSteps >= 0) return maxInterpolationSteps;
        if (step.isSubDaily()) return (int) Math.max(3, TimeStep.DAY / step.seconds());
        return 3;
    }

    /** The gap-fill limit to use: the given one, or the resolved interpolation limit. */
    public int resolveMaxGapFill(TimeStep step) {
        return maxGapFillSteps >= 0 ? maxGapFillSteps : resolveMaxInterpolation(step);
    }
}
