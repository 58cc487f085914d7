package org.rnn4j.apps.forecast;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dates and date-times in the formats weather files use, without a format argument.
 *
 * <p>Dates: {@code 2012-01-31}, {@code 2012/01/31}, {@code 2012.01.31}, {@code 31.01.2012} (day first,
 * as in German and Russian files), {@code 20120131}, and {@code 2012-01} for monthly data (the first of
 * the month). Month and day may have one digit. A time may follow after {@code T} or spaces:
 * {@code 13}, {@code 13:00}, {@code 13:00:00}, {@code 13:00:00.250}; {@code 24:00} means midnight at
 * the end of that day. A zone may follow: {@code Z}, {@code UTC}, {@code GMT}, {@code +01:00},
 * {@code +0100}, {@code +01}; such values are converted to UTC, so a file mixing offsets is ordered by
 * the instant. Slash dates with the day or month first ({@code 01/31/2012}) are rejected: they are
 * ambiguous.
 */
public final class TimeParser {
    private TimeParser() {}

    /** The accepted formats, for error messages. */
    public static final String FORMATS = "2012-01-31, 2012-01-31T13:00[:00][Z|+01:00] (or a space for T), "
            + "2012/01/31, 31.01.2012 [13:00], 20120131, 2012-01";

    private static final Pattern PATTERN = Pattern.compile(
            "(?:(\\d{4})([-/.])(\\d{1,2})(?:\\2(\\d{1,2}))?" // yyyy-MM[-dd], yyyy/MM/dd, yyyy.MM.dd
                    + "|(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})" // dd.MM.yyyy
                    + "|(\\d{4})(\\d{2})(\\d{2}))" // yyyyMMdd
                    + "(?:(?:T|\\s+)(\\d{1,2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?)?" // time
                    + "\\s*(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?"); // zone

    /** The date-time in {@code text}, or empty when it is not in one of the {@link #FORMATS}. */
    public static Optional<LocalDateTime> tryParse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = PATTERN.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        try {
            int year;
            int month;
            int day;
            if (m.group(1) != null) {
                year = Integer.parseInt(m.group(1));
                month = Integer.parseInt(m.group(3));
                if (m.group(4) == null) {
                    // "2012-01" is a month; "2012-01 13:00" is not a thing, and "1013.5" is a number.
                    if (m.group(11) != null || m.group(2).equals(".")) return Optional.empty();
                    day = 1;
                } else {
                    day = Integer.parseInt(m.group(4));
                }
            } else if (m.group(5) != null) {
                day = Integer.parseInt(m.group(5));
                month = Integer.parseInt(m.group(6));
                year = Integer.parseInt(m.group(7));
            } else {
                year = Integer.parseInt(m.group(8));
                month = Integer.parseInt(m.group(9));
                day = Integer.parseInt(m.group(10));
            }
            LocalDate date = LocalDate.of(year, month, day);
            int hour = m.group(11) == null ? 0 : Integer.parseInt(m.group(11));
            int minute = m.group(12) == null ? 0 : Integer.parseInt(m.group(12));
            int second = m.group(13) == null ? 0 : Integer.parseInt(m.group(13));
            int nanos = 0;
            if (m.group(14) != null) {
                String frac = (m.group(14) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(frac);
            }
            LocalDateTime t;
            if (hour == 24 && minute == 0 && second == 0 && nanos == 0) {
                t = date.plusDays(1).atStartOfDay();
            } else {
                t = LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos));
            }
            String zone = m.group(15);
            if (zone != null && !zone.equals("Z") && !zone.equals("UTC") && !zone.equals("GMT")) {
                String digits = zone.replace(":", "");
                int sign = digits.charAt(0) == '-' ? -1 : 1;
                int oh = Integer.parseInt(digits.substring(1, 3));
                int om = digits.length() > 3 ? Integer.parseInt(digits.substring(3, 5)) : 0;
                ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * oh, sign * om);
                t = t.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            return Optional.of(t);
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty(); // 2012-02-30, 25:00, +19:00 ...
        }
    }

    /**
     * The date-time in {@code text}.
     *
     * @throws ForecastDataException naming {@code where} (e.g. "data.csv, line 7, column 'date'") and the
     *     accepted formats
     */
    public static LocalDateTime parse(String text, String where) {
        return tryParse(text).orElseThrow(() -> new ForecastDataException(where + ": cannot read '" + text
                + "' as a date or time; accepted formats: " + FORMATS));
    }
}
