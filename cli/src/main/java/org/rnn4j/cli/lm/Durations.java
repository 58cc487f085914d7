package org.rnn4j.cli.lm;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: "90s", "10m", "1h30m", "2h", "1.5h", or ISO-8601 "PT10M". */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                return positive(Duration.parse(s.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw bad(text);
            }
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw bad(text);
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> 86400e9;
            };
            at = m.end();
        }
        if (s.isEmpty()) throw bad(text);
        return positive(Duration.ofNanos((long) nanos), text);
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("--time-budget must be > 0, got '" + text + "'");
        return d;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("--time-budget: cannot read '" + text + "' as a duration; write e.g. 90s, 10m, 1h30m or PT10M");
    }
}
