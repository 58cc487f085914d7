package org.rnn4j.apps.forecast;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What preprocessing found and did, for people ({@link #toText()}) and files ({@link #toJson()}).
 *
 * @param source the file read
 * @param rowsRead data rows in the file
 * @param time where time came from, e.g. "column 'date'"
 * @param first the first timestamp
 * @param last the last timestamp
 * @param step the detected step, e.g. "1 day"
 * @param outOfOrder rows earlier than the row before them in the file (they were sorted)
 * @param duplicates rows dropped because an earlier row had the same timestamp
 * @param irregular rows closer than half a step to the previous row (kept)
 * @param gaps places where one or more steps are missing
 * @param largestGap the largest gap in words ("3 days after 2013-04-01T00:00"), or "none"
 * @param rowsInserted empty rows inserted into short gaps
 * @param breaks gaps too long to fill; no window spans one
 * @param rows rows after sorting, deduplicating and gap filling
 * @param target the target column
 * @param targetMissing rows whose target is missing (masked out of training and metrics)
 * @param targetMean training-part mean of the target
 * @param targetStd training-part standard deviation of the target
 * @param features input features in order
 * @param columns one entry per column of the file
 * @param parts train, validation and test
 * @param lookback L
 * @param horizon H
 * @param stepsAhead K
 * @param maxInterpolationSteps the interpolation limit used
 * @param maxGapFillSteps the gap-fill limit used
 * @param warnings things a person should look at
 */
public record PreprocessingReport(String source, int rowsRead, String time, LocalDateTime first, LocalDateTime last,
        String step, int outOfOrder, int duplicates, int irregular, int gaps, String largestGap, int rowsInserted,
        int breaks, int rows, String target, int targetMissing, double targetMean, double targetStd,
        List<String> features, List<ColumnReport> columns, List<PartReport> parts, int lookback, int horizon,
        int stepsAhead, int maxInterpolationSteps, int maxGapFillSteps, List<String> warnings) {

    public PreprocessingReport {
        features = List.copyOf(features);
        columns = List.copyOf(columns);
        parts = List.copyOf(parts);
        warnings = List.copyOf(warnings);
    }

    /**
     * One column of the file.
     *
     * @param name the column
     * @param role "target", "numeric", "one-hot", "time" or "excluded"
     * @param detail why excluded, or the categories of a one-hot column, or empty
     * @param fill how its missing values were filled (numeric inputs only; else zeros)
     * @param nonNumeric values in a numeric column that were not numbers (treated as missing)
     */
    public record ColumnReport(String name, String role, String detail, MissingValues.FillCounts fill, int nonNumeric) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("role", role);
            if (!detail.isEmpty()) m.put("detail", detail);
            m.put("missing", fill.missing());
            m.put("interpolated", fill.interpolated());
            m.put("forward_filled", fill.forwardFilled());
            m.put("back_filled", fill.backFilled());
            if (nonNumeric > 0) m.put("non_numeric", nonNumeric);
            return m;
        }
    }

    /**
     * One chronological part.
     *
     * @param name "train", "validation" or "test"
     * @param firstRow its first row in the regularised series
     * @param rows its number of rows
     * @param from its first timestamp (null when empty)
     * @param to its last timestamp (null when empty)
     * @param windows windows lying wholly inside it
     */
    public record PartReport(String name, int firstRow, int rows, LocalDateTime from, LocalDateTime to, int windows) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("first_row", firstRow);
            m.put("rows", rows);
            m.put("from", from == null ? null : from.toString());
            m.put("to", to == null ? null : to.toString());
            m.put("windows", windows);
            return m;
        }
    }

    /** The input columns fed as log(1 + x) ({@code --log-inputs}), in file order. */
    public List<String> logColumns() {
        List<String> out = new ArrayList<>();
        for (ColumnReport c : columns) if (c.detail().startsWith("log(1 + x)")) out.add(c.name());
        return out;
    }

    /** The column entry by name, or null. */
    public ColumnReport column(String name) {
        for (ColumnReport c : columns) if (c.name().equals(name)) return c;
        return null;
    }

    /** The part entry by name ("train", "validation", "test"), or null. */
    public PartReport part(String name) {
        for (PartReport p : parts) if (p.name().equals(name)) return p;
        return null;
    }

    /** A few lines for a terminal. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("data      ").append(source).append(": ").append(rowsRead).append(" rows, time from ").append(time)
                .append(", ").append(shortTime(first)).append(" to ").append(shortTime(last)).append(", step ").append(step).append('\n');
        List<String> timeNotes = new ArrayList<>();
        if (outOfOrder > 0) timeNotes.add(outOfOrder + " out of order (sorted)");
        timeNotes.add(duplicates + " duplicate timestamps" + (duplicates > 0 ? " (kept the first)" : ""));
        timeNotes.add(gaps == 0 ? "no gaps" : gaps + " gaps (largest " + largestGap + ")");
        if (rowsInserted > 0) timeNotes.add(rowsInserted + " rows inserted into short gaps");
        if (breaks > 0) timeNotes.add(breaks + " long gaps break the series");
        if (irregular > 0) timeNotes.add(irregular + " off-grid rows");
        sb.append("time      ").append(String.join(", ", timeNotes)).append("; ").append(rows).append(" rows used\n");
        sb.append("target    ").append(target).append(String.format(Locale.ROOT, " (train mean %.4g, std %.4g)",
                targetMean, targetStd));
        if (targetMissing > 0) sb.append(", ").append(targetMissing).append(" missing rows masked out of loss and metrics");
        sb.append('\n');
        sb.append("features  ").append(features.size()).append(": ").append(String.join(", ", features)).append('\n');
        List<String> filledNotes = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (ColumnReport c : columns) {
            MissingValues.FillCounts f = c.fill();
            if (f.missing() > 0 && !c.role().equals("excluded") && !c.role().equals("time")) {
                List<String> how = new ArrayList<>();
                if (f.interpolated() > 0) how.add(f.interpolated() + " interpolated");
                if (f.forwardFilled() > 0) how.add(f.forwardFilled() + " filled forward");
                if (f.backFilled() > 0) how.add(f.backFilled() + " filled backward");
                if (how.isEmpty()) how.add("encoded as no category");
                filledNotes.add(c.name() + " " + f.missing() + " (" + String.join(", ", how) + ")");
            }
            if (c.role().equals("excluded")) excluded.add(c.name() + " (" + c.detail() + ")");
        }
        sb.append("missing   ").append(filledNotes.isEmpty() ? "none" : String.join("; ", filledNotes))
                .append(String.format(Locale.ROOT, " [policy: interpolate runs up to %d steps, else fill forward; fill gaps up to %d steps]",
                        maxInterpolationSteps, maxGapFillSteps)).append('\n');
        if (!logColumns().isEmpty()) sb.append("log       ").append(String.join(", ", logColumns())).append(" fed as log(1 + x)\n");
        if (!excluded.isEmpty()) sb.append("excluded  ").append(String.join("; ", excluded)).append('\n');
        sb.append("windows   lookback ").append(lookback).append(", horizon ").append(horizon).append(", steps ahead ")
                .append(stepsAhead).append(':');
        for (PartReport p : parts) {
            sb.append(' ').append(p.name()).append(' ').append(p.windows()).append(" (").append(p.rows()).append(" rows");
            if (p.from() != null) sb.append(", from ").append(p.from().toLocalDate());
            sb.append(')');
            if (p != parts.get(parts.size() - 1)) sb.append(',');
        }
        sb.append('\n');
        for (String w : warnings) sb.append("warning   ").append(w).append('\n');
        return sb.toString();
    }

    /** A date alone when the time is midnight (daily data), else the date-time. */
    static String shortTime(LocalDateTime t) {
        return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString() : t.toString();
    }

    /** A JSON-ready map. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("rows_read", rowsRead);
        m.put("time", time);
        m.put("first", first.toString());
        m.put("last", last.toString());
        m.put("step", step);
        m.put("out_of_order", outOfOrder);
        m.put("duplicates", duplicates);
        m.put("irregular", irregular);
        m.put("gaps", gaps);
        m.put("largest_gap", largestGap);
        m.put("rows_inserted", rowsInserted);
        m.put("breaks", breaks);
        m.put("rows", rows);
        m.put("target", target);
        m.put("target_missing", targetMissing);
        m.put("target_mean", targetMean);
        m.put("target_std", targetStd);
        m.put("features", features);
        m.put("log_inputs", logColumns());
        List<Object> cs = new ArrayList<>();
        for (ColumnReport c : columns) cs.add(c.toJson());
        m.put("columns", cs);
        List<Object> ps = new ArrayList<>();
        for (PartReport p : parts) ps.add(p.toJson());
        m.put("parts", ps);
        m.put("lookback", lookback);
        m.put("horizon", horizon);
        m.put("steps_ahead", stepsAhead);
        m.put("max_interpolation_steps", maxInterpolationSteps);
        m.put("max_gap_fill_steps", maxGapFillSteps);
        m.put("warnings", warnings);
        return m;
    }
}
