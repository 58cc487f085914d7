package org.rnn4j.train;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a run writes a checkpoint: every {@code steps} training steps, or every {@code
 * interval} of wall-clock time. Exactly one is set.
 *
 * <p>Step counts are global (step 500, 1000, ... of the whole run), so a resumed run keeps the same
 * grid. Wall-clock intervals count from the start of the process or the last checkpoint.
 *
 * @param steps    checkpoint after every step whose number is a multiple of this (0 when time-based)
 * @param interval checkpoint when this much time has passed since the last one (null when step-based)
 */
public record CheckpointEvery(long steps, Duration interval) {
    /** The default: every ten minutes, so short runs write nothing unless interrupted. */
    public static final CheckpointEvery DEFAULT = new CheckpointEvery(0, Duration.ofMinutes(10));

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    public CheckpointEvery {
        if ((steps > 0) == (interval != null)) {
            throw new IllegalArgumentException("give either steps > 0 or an interval, got steps=" + steps + ", interval=" + interval);
        }
        if (steps < 0) throw new IllegalArgumentException("steps must be > 0, got " + steps);
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
    }

    public static CheckpointEvery steps(long steps) {
        return new CheckpointEvery(steps, null);
    }

    public static CheckpointEvery interval(Duration interval) {
        return new CheckpointEvery(0, interval);
    }

    /**
     * Parses the command-line form: a plain number is a step count ({@code 500}); a duration has
     * units h, m, s ({@code 10m}, {@code 90s}, {@code 1h30m}).
     */
    public static CheckpointEvery parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        String hint = "; expected a number of steps (500) or a duration such as 30s, 10m, 2h, 1h30m";
        if (t.matches("\\d{1,18}")) {
            long n = Long.parseLong(t);
            if (n <= 0) throw new IllegalArgumentException("--checkpoint-every must be > 0 steps, got " + text + hint);
            return steps(n);
        }
        Matcher m = DURATION.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("--checkpoint-every: cannot read '" + text + "'" + hint);
        }
        try {
            long seconds = Math.addExact(Math.addExact(Math.multiplyExact(group(m, 1), 3600), Math.multiplyExact(group(m, 2), 60)),
                    group(m, 3));
            if (seconds <= 0) throw new IllegalArgumentException("--checkpoint-every must be a positive duration, got " + text + hint);
            return interval(Duration.ofSeconds(seconds));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("--checkpoint-every: '" + text + "' is too large" + hint, e);
        }
    }

    private static long group(Matcher m, int i) {
        String g = m.group(i);
        return g == null ? 0 : Long.parseLong(g);
    }

    /** True if a checkpoint is due after {@code step} when the last one was written {@code sinceLast} ago. */
    public boolean due(long step, Duration sinceLast) {
        return steps > 0 ? step % steps == 0 : sinceLast.compareTo(interval) >= 0;
    }

    @Override
    public String toString() {
        if (steps > 0) return steps + (steps == 1 ? " step" : " steps");
        long s = interval.toSeconds();
        return (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? (s % 3600) / 60 + "m" : "") + (s % 60 > 0 ? s % 60 + "s" : "");
    }
}
