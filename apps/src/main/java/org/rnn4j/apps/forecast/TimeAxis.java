package org.rnn4j.apps.forecast;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.rnn4j.data.CsvTable;

/**
 * The rows of a table placed on a regular time grid: sorted by time, duplicates dropped (the first in
 * the file is kept), short gaps filled with empty rows, long gaps marked as breaks between segments.
 *
 * <p>Row {@code i} of the axis has time {@code times[i]}, comes from table row {@code sourceRow[i]}
 * ({@code -1} for a row inserted into a gap) and belongs to segment {@code segment[i]} (segments are
 * numbered from 0 and change at each break).
 */
final class TimeAxis {
    /** Column names (lower case) tried first, in this order, when detecting a time column. */
    static final List<String> TIME_NAMES = List.of("date", "datetime", "date_time", "date time", "timestamp", "time",
            "dt", "ds", "valid_time", "obs_time", "observation_date", "period");
    /** Lower-case names for year, month, day, hour, minute columns. */
    static final List<Set<String>> COMPONENT_NAMES = List.of(
            Set.of("year", "yr", "yyyy"),
            Set.of("month", "mon", "mo", "mm"),
            Set.of("day", "dy", "dd", "dom"),
            Set.of("hour", "hr", "hh"),
            Set.of("minute", "min"));
    private static final String[] COMPONENT_LABELS = {"year", "month", "day", "hour", "minute"};

    final TimeSpec spec;
    final TimeStep step;
    final LocalDateTime[] times;
    final long[] epoch; // seconds, times read as UTC
    final int[] sourceRow;
    final int[] segment;

    final int rowsRead;
    final int outOfOrder;
    final int duplicates;
    final int irregular;
    final int gaps;
    final long largestGapSteps;
    final LocalDateTime largestGapAfter;
    final int rowsInserted;
    final int breaks;

    private TimeAxis(TimeSpec spec, TimeStep step, List<LocalDateTime> times, List<Integer> sourceRows,
            List<Integer> segments, int rowsRead, int outOfOrder, int duplicates, int irregular, int gaps,
            long largestGapSteps, LocalDateTime largestGapAfter, int rowsInserted, int breaks) {
        this.spec = spec;
        this.step = step;
        this.times = times.toArray(new LocalDateTime[0]);
        this.epoch = new long[this.times.length];
        for (int i = 0; i < epoch.length; i++) epoch[i] = this.times[i].toEpochSecond(ZoneOffset.UTC);
        this.sourceRow = sourceRows.stream().mapToInt(Integer::intValue).toArray();
        this.segment = segments.stream().mapToInt(Integer::intValue).toArray();
        this.rowsRead = rowsRead;
        this.outOfOrder = outOfOrder;
        this.duplicates = duplicates;
        this.irregular = irregular;
        this.gaps = gaps;
        this.largestGapSteps = largestGapSteps;
        this.largestGapAfter = largestGapAfter;
        this.rowsInserted = rowsInserted;
        this.breaks = breaks;
    }

    int size() {
        return times.length;
    }

    /** Number of segments (breaks + 1). */
    int segments() {
        return breaks + 1;
    }

    // ------------------------------------------------------------------ detection

    /**
     * Where the table keeps time. With {@code option} null, detected: a column with a usual name
     * ({@link #TIME_NAMES}) whose first value is a date; then any column whose name contains "date" or
     * "time" and whose first value is a date; then any column whose first value is a date written with
     * separators (not a bare number); then year[, month[, day[, hour[, minute]]]] columns.
     * Otherwise {@code option} is a column name, or comma-separated component columns.
     */
    static TimeSpec detect(CsvTable table, String option) {
        if (option != null) {
            if (option.contains(",")) {
                List<String> comps = new ArrayList<>();
                for (String part : option.split(",")) {
                    String name = part.strip();
                    table.columnIndex(name); // throws "unknown column ..." listing the columns
                    comps.add(name);
                }
                if (comps.size() > 5) {
                    throw new ForecastDataException(table.source() + ": --time-column takes one column or "
                            + "year,month,day[,hour[,minute]] columns, got " + comps.size() + " columns: " + option);
                }
                return TimeSpec.ofComponents(comps);
            }
            int col = table.columnIndex(option);
            // A column of bare years (yearly data) is read as a one-component time.
            if (firstValue(table, col).map(v -> v.strip().matches("\\d{4}")).orElse(false)) {
                return TimeSpec.ofComponents(List.of(option));
            }
            return TimeSpec.ofColumn(option);
        }
        List<String> names = table.columnNames();
        for (String wanted : TIME_NAMES) {
            for (int c = 0; c < names.size(); c++) {
                if (names.get(c).strip().toLowerCase(Locale.ROOT).equals(wanted) && firstIsTime(table, c)) {
                    return TimeSpec.ofColumn(names.get(c));
                }
            }
        }
        for (int c = 0; c < names.size(); c++) {
            String lower = names.get(c).toLowerCase(Locale.ROOT);
            if ((lower.contains("date") || lower.contains("time")) && firstIsTime(table, c)) {
                return TimeSpec.ofColumn(names.get(c));
            }
        }
        for (int c = 0; c < names.size(); c++) {
            // Any other column of date-like text (with separators, so not a plain number): "Month" = 1949-01.
            Optional<String> first = firstValue(table, c);
            if (first.isPresent() && first.get().matches(".*\\d[-/.:T ]\\d.*") && firstIsTime(table, c)
                    && Double.isNaN(Cells.parseNumber(first.get()))) {
                return TimeSpec.ofColumn(names.get(c));
            }
        }
        List<String> comps = new ArrayList<>();
        for (Set<String> accepted : COMPONENT_NAMES) {
            String found = null;
            for (String n : names) {
                if (accepted.contains(n.strip().toLowerCase(Locale.ROOT))) {
                    found = n;
                    break;
                }
            }
            if (found == null) break;
            comps.add(found);
        }
        if (comps.size() >= 3 || (comps.size() >= 1 && comps.size() <= 2 && allIntegers(table, comps))) {
            return TimeSpec.ofComponents(comps);
        }
        throw new ForecastDataException(table.source() + ": no time column found; name one with --time-column "
                + "(a column of dates such as 2012-01-31 or 2012-01-31T13:00, or year,month,day[,hour] columns); "
                + "the file has: " + String.join(", ", names));
    }

    private static Optional<String> firstValue(CsvTable table, int col) {
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.value(r, col);
            if (!Cells.isMissing(v)) return Optional.of(v);
        }
        return Optional.empty();
    }

    private static boolean firstIsTime(CsvTable table, int col) {
        return firstValue(table, col).flatMap(TimeParser::tryParse).isPresent();
    }

    private static boolean allIntegers(CsvTable table, List<String> columns) {
        for (String name : columns) {
            int c = table.columnIndex(name);
            for (int r = 0; r < Math.min(table.rowCount(), 100); r++) {
                if (!table.value(r, c).strip().matches("\\d+")) return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ parsing

    /** The time of every table row, in table order. */
    static LocalDateTime[] parseTimes(CsvTable table, TimeSpec spec) {
        int n = table.rowCount();
        LocalDateTime[] out = new LocalDateTime[n];
        if (spec.column() != null) {
            int c = table.columnIndex(spec.column());
            for (int r = 0; r < n; r++) {
                String v = table.value(r, c);
                String where = table.source() + ", line " + table.line(r) + ", column '" + spec.column() + "'";
                if (Cells.isMissing(v)) {
                    throw new ForecastDataException(where + ": the time is missing; every row needs one");
                }
                out[r] = TimeParser.parse(v, where);
            }
            return out;
        }
        List<String> comps = spec.components();
        int[] cols = new int[comps.size()];
        for (int i = 0; i < cols.length; i++) cols[i] = table.columnIndex(comps.get(i));
        int[] v = new int[5];
        for (int r = 0; r < n; r++) {
            v[0] = 1;
            v[1] = 1;
            v[2] = 1;
            v[3] = 0;
            v[4] = 0;
            for (int i = 0; i < cols.length; i++) {
                String cell = table.value(r, cols[i]).strip();
                String where = table.source() + ", line " + table.line(r) + ", column '" + comps.get(i) + "'";
                double d = Cells.parseNumber(cell);
                if (Double.isNaN(d) || d != Math.rint(d) || Math.abs(d) > 1e6) {
                    throw new ForecastDataException(where + ": expected an integer " + COMPONENT_LABELS[i]
                            + ", got '" + cell + "'");
                }
                v[i] = (int) d;
            }
            try {
                LocalDateTime t = LocalDateTime.of(v[0], v[1], v[2], 0, 0).plusHours(v[3]).plusMinutes(v[4]);
                if (v[3] < 0 || v[3] > 24 || v[4] < 0 || v[4] > 59) throw new java.time.DateTimeException("out of range");
                out[r] = t;
            } catch (java.time.DateTimeException e) {
                throw new ForecastDataException(table.source() + ", line " + table.line(r) + ": "
                        + String.join(", ", comps) + " = " + Arrays.toString(Arrays.copyOf(v, cols.length))
                        + " is not a valid date and time");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ building

    /**
     * Sorts, deduplicates and regularises the table's rows.
     *
     * @param expectedStep the step the caller requires (a trained model's), or null to detect it
     * @param gapFillLimit the longest gap (in missing steps) to fill, given the step
     */
    static TimeAxis build(CsvTable table, TimeSpec spec, TimeStep expectedStep, ToIntFunction<TimeStep> gapFillLimit) {
        LocalDateTime[] raw = parseTimes(table, spec);
        int n = raw.length;
        int outOfOrder = 0;
        for (int r = 1; r < n; r++) if (raw[r].isBefore(raw[r - 1])) outOfOrder++;
        Integer[] order = new Integer[n];
        for (int r = 0; r < n; r++) order[r] = r;
        Arrays.sort(order, Comparator.comparing((Integer r) -> raw[r])); // stable: file order among equals
        List<Integer> unique = new ArrayList<>(n);
        int duplicates = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && raw[order[i]].equals(raw[order[i - 1]])) {
                duplicates++;
            } else {
                unique.add(order[i]);
            }
        }
        TimeStep step = detectStep(table.source(), unique.stream().map(r -> raw[r]).toList(), expectedStep);
        int maxFill = gapFillLimit.applyAsInt(step);

        List<LocalDateTime> times = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        List<Integer> segments = new ArrayList<>();
        int segment = 0;
        int irregular = 0;
        int gaps = 0;
        int inserted = 0;
        long largest = 0;
        LocalDateTime largestAfter = null;
        for (int i = 0; i < unique.size(); i++) {
            LocalDateTime t = raw[unique.get(i)];
            if (i > 0) {
                LocalDateTime prev = raw[unique.get(i - 1)];
                long k = step.stepsBetween(prev, t);
                if (k < 1) {
                    irregular++;
                } else if (k > 1) {
                    long missing = k - 1;
                    gaps++;
                    if (missing > largest) {
                        largest = missing;
                        largestAfter = prev;
                    }
                    if (missing <= maxFill) {
                        for (long j = 1; j <= missing; j++) {
                            times.add(step.add(prev, j));
                            rows.add(-1);
                            segments.add(segment);
                        }
                        inserted += (int) missing;
                    } else {
                        segment++;
                    }
                }
            }
            times.add(t);
            rows.add(unique.get(i));
            segments.add(segment);
        }
        return new TimeAxis(spec, step, times, rows, segments, n, outOfOrder, duplicates, irregular, gaps, largest,
                largestAfter, inserted, segment);
    }

    /**
     * The median spacing of sorted unique times: a calendar month for 28–31 days, a quarter for 89–92,
     * a year for 365–366; otherwise that many seconds.
     */
    static TimeStep detectStep(String source, List<LocalDateTime> sorted, TimeStep expected) {
        if (sorted.size() < 2) {
            if (expected != null) return expected;
            throw new ForecastDataException(source + ": needs at least 2 distinct timestamps to find the time step, got "
                    + sorted.size());
        }
        long[] diffs = new long[sorted.size() - 1];
        for (int i = 1; i < sorted.size(); i++) {
            diffs[i - 1] = sorted.get(i).toEpochSecond(ZoneOffset.UTC) - sorted.get(i - 1).toEpochSecond(ZoneOffset.UTC);
        }
        Arrays.sort(diffs);
        long median = diffs[(diffs.length - 1) / 2];
        long day = TimeStep.DAY;
        TimeStep found;
        if (median >= 28 * day && median <= 31 * day) found = TimeStep.ofMonths(1);
        else if (median >= 89 * day && median <= 92 * day) found = TimeStep.ofMonths(3);
        else if (median >= 365 * day && median <= 366 * day) found = TimeStep.ofMonths(12);
        else found = TimeStep.ofSeconds(median);
        if (expected != null && !sameStep(found, expected)) {
            throw new ForecastDataException(source + ": the rows are " + found.describe() + " apart, but the model was "
                    + "trained on steps of " + expected.describe());
        }
        return expected != null ? expected : found;
    }

    private static boolean sameStep(TimeStep a, TimeStep b) {
        if (a.months() > 0 || b.months() > 0) return a.months() == b.months();
        return Math.abs(a.seconds() - b.seconds()) <= Math.max(1, b.seconds() / 100);
    }
}
