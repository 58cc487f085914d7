package org.rnn4j.apps.forecast;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input feature of a forecasting model: where its value comes from and how it is normalised
 * ({@code (value - mean) / std}; one-hot and calendar features have mean 0 and std 1).
 *
 * @param name unique name shown to people: the column name, {@code column=category}, or
 *     {@code day_of_year_sin} etc.
 * @param kind how the value is computed
 * @param column the source column for {@link Kind#NUMERIC} and {@link Kind#ONE_HOT}, else null
 * @param category the category for {@link Kind#ONE_HOT}, else null
 * @param mean training-part mean
 * @param std training-part standard deviation, > 0
 * @param log1p for {@link Kind#NUMERIC}: the value fed is log(1 + max(0, x)) (mean and std are of that), for
 *     heavy-tailed non-negative columns such as rain or particulate counts; false for the other kinds
 */
public record Feature(String name, Kind kind, String column, String category, double mean, double std, boolean log1p) {

    /** How a feature's value is made. */
    public enum Kind {
        /** The column's value, missing values filled. */
        NUMERIC,
        /** 1 when the column's value equals the category, else 0. */
        ONE_HOT,
        /** sin(2π · fraction of the year elapsed). */
        DAY_OF_YEAR_SIN,
        /** cos(2π · fraction of the year elapsed). */
        DAY_OF_YEAR_COS,
        /** sin(2π · fraction of the day elapsed). */
        HOUR_OF_DAY_SIN,
        /** cos(2π · fraction of the day elapsed). */
        HOUR_OF_DAY_COS;

        boolean isCalendar() {
            return this != NUMERIC && this != ONE_HOT;
        }
    }

    public Feature {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("feature name must not be empty");
        if (kind == null) throw new IllegalArgumentException("feature '" + name + "': kind must not be null");
        if ((kind == Kind.NUMERIC || kind == Kind.ONE_HOT) && column == null) {
            throw new IllegalArgumentException("feature '" + name + "': a " + kind + " feature needs a column");
        }
        if (kind == Kind.ONE_HOT && category == null) {
            throw new IllegalArgumentException("feature '" + name + "': a one-hot feature needs a category");
        }
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("feature '" + name + "': mean must be finite, got " + mean);
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("feature '" + name + "': std must be > 0 and finite, got " + std);
        }
        if (log1p && kind != Kind.NUMERIC) {
            throw new IllegalArgumentException("feature '" + name + "': only a numeric feature can be log-transformed, this is " + kind);
        }
    }

    /** Without a log transform. */
    public Feature(String name, Kind kind, String column, String category, double mean, double std) {
        this(name, kind, column, category, mean, std, false);
    }

    /** The value the network reads before normalisation: x, or {@link #logOf}(x) with {@link #log1p}. */
    double transform(double x) {
        return log1p ? logOf(x) : x;
    }

    /** log(1 + max(0, x)), what a {@link #log1p} feature reads. */
    static double logOf(double x) {
        // Clamped at 0: a negative reading in a column that was non-negative in training is an error of the sensor
        // or the file, and log1p would give -inf or NaN for it.
        return Math.log1p(Math.max(0, x));
    }

    static Feature numeric(String column, double mean, double std) {
        return new Feature(column, Kind.NUMERIC, column, null, mean, std, false);
    }

    static Feature numeric(String column, double mean, double std, boolean log1p) {
        return new Feature(column, Kind.NUMERIC, column, null, mean, std, log1p);
    }

    static Feature oneHot(String column, String category) {
        return new Feature(column + "=" + category, Kind.ONE_HOT, column, category, 0, 1);
    }

    static Feature calendar(Kind kind) {
        return new Feature(kind.name().toLowerCase(java.util.Locale.ROOT), kind, null, null, 0, 1);
    }

    /** The calendar feature's raw value at wall time {@code t}. */
    static double calendarValue(Kind kind, LocalDateTime t) {
        double secondsOfDay = t.toLocalTime().toSecondOfDay() + t.getNano() * 1e-9;
        double dayFraction = secondsOfDay / 86_400.0;
        double yearFraction = (t.getDayOfYear() - 1 + dayFraction) / t.toLocalDate().lengthOfYear();
        return switch (kind) {
            case DAY_OF_YEAR_SIN -> Math.sin(2 * Math.PI * yearFraction);
            case DAY_OF_YEAR_COS -> Math.cos(2 * Math.PI * yearFraction);
            case HOUR_OF_DAY_SIN -> Math.sin(2 * Math.PI * dayFraction);
            case HOUR_OF_DAY_COS -> Math.cos(2 * Math.PI * dayFraction);
            default -> throw new IllegalArgumentException(kind + " is not a calendar feature");
        };
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        if (column != null) m.put("column", column);
        if (category != null) m.put("category", category);
        m.put("mean", mean);
        m.put("std", std);
        if (log1p) m.put("transform", "log1p"); // absent = none, so older model files read as before
        return m;
    }

    public static Feature fromJson(Map<String, Object> json) {
        String what = "feature";
        String name = JsonMaps.string(json, "name", what);
        what = "feature '" + name + "'";
        String kindText = JsonMaps.string(json, "kind", what);
        Kind kind;
        try {
            kind = Kind.valueOf(kindText.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": unknown kind '" + kindText + "'", e);
        }
        String transform = JsonMaps.optionalString(json, "transform");
        if (transform != null && !transform.equals("log1p")) {
            throw new IllegalArgumentException(what + ": unknown transform '" + transform + "' (expected log1p or none)");
        }
        return new Feature(name, kind, JsonMaps.optionalString(json, "column"), JsonMaps.optionalString(json, "category"),
                JsonMaps.number(json, "mean", what), JsonMaps.number(json, "std", what), transform != null);
    }
}
