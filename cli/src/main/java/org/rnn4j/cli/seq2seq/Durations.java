package org.rnn4j.cli.seq2seq;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** Parses "70m", "1h30m", "90s", "2h" (or ISO-8601 "PT1H30M") into a Duration for picocli. */
final class Durations implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("pt")) return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
        Matcher m = PART.matcher(v);
        int pos = 0;
        double seconds = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            seconds += n * switch (m.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            pos = m.end();
        }
        if (pos != v.length() || v.isEmpty()) {
            throw new IllegalArgumentException("invalid duration '" + value + "'; expected e.g. 90s, 70m, 1h30m");
        }
        if (seconds <= 0) throw new IllegalArgumentException("duration must be > 0, got '" + value + "'");
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
