package org.rnn4j.apps.forecast;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The regular spacing of a time series: a fixed duration ({@code seconds > 0}, e.g. an hour or a day)
 * or a number of calendar months ({@code months > 0}: monthly or yearly data, whose steps vary in
 * length). Exactly one of the two is non-zero.
 */
public record TimeStep(long seconds, int months) {
    public static final long DAY = 86_400;

    public TimeStep {
        if ((seconds > 0) == (months > 0) || seconds < 0 || months < 0) {
            throw new IllegalArgumentException("exactly one of seconds and months must be > 0, got seconds="
                    + seconds + ", months=" + months);
        }
    }

    public static TimeStep ofSeconds(long seconds) {
        return new TimeStep(seconds, 0);
    }

    public static TimeStep ofMonths(int months) {
        return new TimeStep(0, months);
    }

    /** Shorter than a day: hour-of-day features and a daily season apply. */
    public boolean isSubDaily() {
        return seconds > 0 && seconds < DAY;
    }

    /** The nominal length in seconds (a month counts as 30.44 days). */
    public double approximateSeconds() {
        return seconds > 0 ? seconds : months * 30.436875 * DAY;
    }

    /** {@code t} moved by {@code n} steps (negative moves back). */
    public LocalDateTime add(LocalDateTime t, long n) {
        return seconds > 0 ? t.plusSeconds(seconds * n) : t.plusMonths(months * n);
    }

    /**
     * How many steps lie from {@code a} to {@code b}, rounded to the nearest whole step: 1 for
     * neighbours on the grid, 3 when two steps are missing between them.
     */
    public long stepsBetween(LocalDateTime a, LocalDateTime b) {
        if (seconds > 0) {
            long d = b.toEpochSecond(ZoneOffset.UTC) - a.toEpochSecond(ZoneOffset.UTC);
            return Math.round((double) d / seconds);
        }
        long m = ChronoUnit.MONTHS.between(a, b);
        // Months between 01-31 and 02-28 is 0 in ChronoUnit; count by calendar month instead.
        long calendar = (b.getYear() - a.getYear()) * 12L + (b.getMonthValue() - a.getMonthValue());
        m = Math.max(m, calendar);
        return Math.round((double) m / months);
    }

    /** ISO-8601 text: {@code PT1H}, {@code P1D}, {@code P1M}, {@code P1Y}; {@link #parse} reads it back. */
    public String iso() {
        if (months > 0) return months % 12 == 0 ? "P" + (months / 12) + "Y" : "P" + months + "M";
        if (seconds % DAY == 0) return "P" + (seconds / DAY) + "D";
        return Duration.ofSeconds(seconds).toString();
    }

    /** Reads {@link #iso()} text. */
    public static TimeStep parse(String iso) {
        String s = iso.strip().toUpperCase(java.util.Locale.ROOT);
        try {
            if (s.matches("P\\d+Y")) return ofMonths(12 * Integer.parseInt(s.substring(1, s.length() - 1)));
            if (s.matches("P\\d+M")) return ofMonths(Integer.parseInt(s.substring(1, s.length() - 1)));
            if (s.matches("P\\d+D")) return ofSeconds(DAY * Long.parseLong(s.substring(1, s.length() - 1)));
            return ofSeconds(Duration.parse(s).getSeconds());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("time step must be ISO-8601 like PT1H, P1D or P1M, got '" + iso + "'", e);
        }
    }

    /** Words for people: "1 hour", "10 minutes", "1 day", "1 month", "1 year". */
    public String describe() {
        if (months > 0) {
            if (months % 12 == 0) return plural(months / 12, "year");
            return plural(months, "month");
        }
        if (seconds % (7 * DAY) == 0) return plural(seconds / (7 * DAY), "week");
        if (seconds % DAY == 0) return plural(seconds / DAY, "day");
        if (seconds % 3600 == 0) return plural(seconds / 3600, "hour");
        if (seconds % 60 == 0) return plural(seconds / 60, "minute");
        return plural(seconds, "second");
    }

    /** Words for a span of {@code n} steps, e.g. "3 days" for 3 daily steps. */
    public String describeSpan(long n) {
        if (n <= 0) return "0 steps";
        if (months > 0) return new TimeStep(0, (int) Math.min(Integer.MAX_VALUE, n * months)).describe();
        return new TimeStep(n * seconds, 0).describe();
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
