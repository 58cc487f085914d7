package org.rnn4j.apps.forecast;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.CsvTable;

/**
 * The table's columns laid on a time axis, read as numbers or text, with missing values filled by
 * {@link MissingValues}; each column is read once and remembered.
 */
final class Columns {
    /** A column whose non-numeric share of present values is at most this is numeric (the rest missing). */
    static final double MAX_STRAY_SHARE = 0.05;

    private final CsvTable table;
    private final TimeAxis axis;
    private final int maxInterpolation;
    private final Map<String, Numeric> numeric = new HashMap<>();
    private final Map<String, Filled> filled = new HashMap<>();

    /** A column read as numbers: NaN where missing, not a number, or a row inserted into a gap. */
    record Numeric(double[] values, int present, int nonNumeric, String firstNonNumeric, long firstNonNumericLine) {
        /** Numeric when most present cells are numbers; a text column otherwise. */
        boolean isNumeric() {
            return present > 0 && nonNumeric <= MAX_STRAY_SHARE * present;
        }

        /** Number of observed (numeric) values. */
        int observed() {
            return present - nonNumeric;
        }
    }

    record Filled(double[] values, MissingValues.FillCounts counts) {}

    Columns(CsvTable table, TimeAxis axis, int maxInterpolation) {
        this.table = table;
        this.axis = axis;
        this.maxInterpolation = maxInterpolation;
    }

    CsvTable table() {
        return table;
    }

    TimeAxis axis() {
        return axis;
    }

    int maxInterpolation() {
        return maxInterpolation;
    }

    Numeric numeric(String column) {
        return numeric.computeIfAbsent(column, this::readNumeric);
    }

    private Numeric readNumeric(String column) {
        int c = table.columnIndex(column);
        int n = axis.size();
        double[] v = new double[n];
        int present = 0;
        int stray = 0;
        String firstStray = null;
        long firstStrayLine = 0;
        for (int i = 0; i < n; i++) {
            int r = axis.sourceRow[i];
            if (r < 0) {
                v[i] = Double.NaN;
                continue;
            }
            String cell = table.value(r, c);
            if (Cells.isMissing(cell)) {
                v[i] = Double.NaN;
                continue;
            }
            present++;
            double d = Cells.parseNumber(cell);
            if (Double.isNaN(d)) {
                stray++;
                if (firstStray == null) {
                    firstStray = cell;
                    firstStrayLine = table.line(r);
                }
            }
            v[i] = d;
        }
        return new Numeric(v, present, stray, firstStray, firstStrayLine);
    }

    /**
     * The column with missing values filled.
     *
     * @throws ForecastDataException when the column has no numeric value at all
     */
    Filled filled(String column) {
        Filled f = filled.get(column);
        if (f != null) return f;
        Numeric raw = numeric(column);
        if (raw.observed() == 0) {
            throw new ForecastDataException(table.source() + ": column '" + column + "' has no values: all "
                    + axis.size() + " rows are missing" + (raw.nonNumeric() > 0 ? " or not numbers" : ""));
        }
        double[] values = raw.values().clone();
        MissingValues.FillCounts counts = MissingValues.fill(values, axis.epoch, maxInterpolation);
        f = new Filled(values, counts);
        filled.put(column, f);
        return f;
    }

    /** The column as text, null where missing or inserted. */
    String[] text(String column) {
        int c = table.columnIndex(column);
        String[] out = new String[axis.size()];
        for (int i = 0; i < out.length; i++) {
            int r = axis.sourceRow[i];
            if (r < 0) continue;
            String cell = table.value(r, c);
            out[i] = Cells.isMissing(cell) ? null : cell.strip();
        }
        return out;
    }

    /**
     * The input matrix [rows, features], normalised with each feature's mean and std.
     *
     * @param missingCategory counts, per one-hot column, rows whose category was missing (filled here)
     */
    float[] encode(List<Feature> features, Map<String, Integer> missingCategory) {
        int n = axis.size();
        int nf = features.size();
        float[] x = new float[n * nf];
        Map<String, String[]> texts = new HashMap<>();
        for (int f = 0; f < nf; f++) {
            Feature feat = features.get(f);
            switch (feat.kind()) {
                case NUMERIC -> {
                    double[] v = filled(feat.column()).values();
                    for (int i = 0; i < n; i++) x[i * nf + f] = (float) ((feat.transform(v[i]) - feat.mean()) / feat.std());
                }
                case ONE_HOT -> {
                    String[] t = texts.computeIfAbsent(feat.column(), this::text);
                    if (missingCategory != null && !missingCategory.containsKey(feat.column())) {
                        int m = 0;
                        for (String s : t) if (s == null) m++;
                        missingCategory.put(feat.column(), m);
                    }
                    for (int i = 0; i < n; i++) x[i * nf + f] = feat.category().equals(t[i]) ? 1f : 0f;
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        x[i * nf + f] = (float) Feature.calendarValue(feat.kind(), axis.times[i]);
                    }
                }
            }
        }
        return x;
    }
}
