package org.rnn4j.apps.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rnn4j.data.CsvTable;
import org.rnn4j.tensor.Tensor;

/**
 * The model input for a forecast from the latest rows of a file, prepared exactly as in training
 * (same time handling, gap filling, missing-value policy, features, categories and normalisation, all
 * from the {@link FeatureSpec}).
 *
 * @param inputs [1, L, F] the last L rows, normalised
 * @param lookback L
 * @param featureCount F
 * @param lastTime the time of the last row, the forecast origin
 * @param targetTimes the K times being forecast: lastTime + horizon steps, ...
 * @param lastObservedTarget the last observed target value, in its units (context for people)
 * @param notes what was filled or assumed, for people
 */
public record ForecastInput(float[] inputs, int lookback, int featureCount, LocalDateTime lastTime,
        List<LocalDateTime> targetTimes, double lastObservedTarget, List<String> notes) {

    public ForecastInput {
        targetTimes = List.copyOf(targetTimes);
        notes = List.copyOf(notes);
    }

    /** {@link #inputs} as a tensor of shape (1, L, F). */
    public Tensor tensor() {
        return Tensor.of(inputs, 1, lookback, featureCount);
    }

    /** Reads a UTF-8 CSV file and prepares its latest window. */
    public static ForecastInput latest(Path csv, FeatureSpec spec) throws IOException {
        return latest(ForecastDataset.readTable(csv), spec);
    }

    /**
     * Prepares the latest window of {@code table}.
     *
     * @throws ForecastDataException when the file lacks a column the model reads, has a different time
     *     step, or has fewer than L rows after its last break
     */
    public static ForecastInput latest(CsvTable table, FeatureSpec spec) {
        String source = table.source();
        for (String c : spec.time().columns()) {
            if (!table.hasColumn(c)) {
                throw new ForecastDataException(source + ": the model reads time from " + spec.time().describe()
                        + ", which this file lacks; the file has: " + String.join(", ", table.columnNames()));
            }
        }
        Set<String> needed = new LinkedHashSet<>();
        for (Feature f : spec.features()) if (f.column() != null) needed.add(f.column());
        for (String c : needed) {
            if (!table.hasColumn(c)) {
                throw new ForecastDataException(source + ": the model needs column '" + c + "', which this file lacks;"
                        + " the model's input columns are " + String.join(", ", needed) + "; the file has: "
                        + String.join(", ", table.columnNames()));
            }
        }
        TimeAxis axis = TimeAxis.build(table, spec.time(), spec.step(), s -> spec.maxGapFillSteps());
        int n = axis.size();
        int lookback = spec.lookback();
        int lastSegment = axis.segment[n - 1];
        int segmentStart = n - 1;
        while (segmentStart > 0 && axis.segment[segmentStart - 1] == lastSegment) segmentStart--;
        int available = n - segmentStart;
        if (available < lookback) {
            throw new ForecastDataException(source + ": the model needs the last " + lookback + " rows ("
                    + spec.step().describeSpan(lookback) + ") without a long gap; the file has " + available
                    + (axis.breaks > 0 ? " after its last gap longer than " + spec.step().describeSpan(spec.maxGapFillSteps()) : "")
                    + " (after sorting and removing duplicate timestamps)");
        }

        Columns cols = new Columns(table, axis, spec.maxInterpolationSteps());
        List<String> notes = new ArrayList<>();
        int from = n - lookback;
        for (String c : needed) {
            Columns.Numeric raw = cols.numeric(c);
            boolean numeric = spec.features().stream().anyMatch(f -> c.equals(f.column()) && f.kind() == Feature.Kind.NUMERIC);
            int missing = 0;
            if (numeric) {
                cols.filled(c); // fails clearly when the column has no values at all
                for (int i = from; i < n; i++) if (Double.isNaN(raw.values()[i])) missing++;
                if (raw.nonNumeric() > 0) {
                    notes.add("column '" + c + "': " + raw.nonNumeric() + " values that are not numbers were treated as"
                            + " missing (e.g. '" + raw.firstNonNumeric() + "' at line " + raw.firstNonNumericLine() + ")");
                }
            } else {
                String[] t = cols.text(c);
                for (int i = from; i < n; i++) if (t[i] == null) missing++;
            }
            if (missing > 0) {
                notes.add("column '" + c + "': " + missing + " of the last " + lookback + " values were missing and filled");
            }
        }
        if (axis.duplicates > 0) notes.add(axis.duplicates + " rows with a repeated timestamp were dropped");
        if (axis.rowsInserted > 0) notes.add(axis.rowsInserted + " rows were inserted into short time gaps");

        float[] matrix = cols.encode(spec.features(), null);
        int nf = spec.featureCount();
        float[] x = new float[lookback * nf];
        System.arraycopy(matrix, from * nf, x, 0, lookback * nf);
        LocalDateTime last = axis.times[n - 1];
        List<LocalDateTime> targets = new ArrayList<>();
        for (int j = 0; j < spec.stepsAhead(); j++) targets.add(spec.step().add(last, spec.horizon() + j));
        double[] lastObs = MissingValues.lastObserved(cols.numeric(spec.target()).values());
        return new ForecastInput(x, lookback, nf, last, targets, lastObs[n - 1], notes);
    }

    /**
     * The windows of {@code table} whose targets are in the file and observed within the last {@code days} days before
     * its last row (for {@link BiasCorrection#latest}): the errors a bias correction of the latest forecast may use.
     * Built as in training (same filling, features and normalisation); windows do not span a long gap.
     */
    public static WindowSet recentWindows(CsvTable table, FeatureSpec spec, int days) {
        TimeAxis axis = TimeAxis.build(table, spec.time(), spec.step(), s -> spec.maxGapFillSteps());
        int n = axis.size();
        Columns cols = new Columns(table, axis, spec.maxInterpolationSteps());
        for (Feature f : spec.features()) if (f.kind() == Feature.Kind.NUMERIC) cols.filled(f.column());
        float[] matrix = cols.encode(spec.features(), null);
        int l = spec.lookback(), h = spec.horizon(), k = spec.stepsAhead();
        // Rows past the file's end, so a window whose first targets are in the file and later ones are not (yet) counts
        // with the ones it has: their targets are missing.
        int padded = n + h + k;
        double[] raw = cols.numeric(spec.target()).values();
        double[] targetRaw = new double[padded];
        boolean[] observed = new boolean[padded];
        float[] targetNorm = new float[padded];
        LocalDateTime[] times = java.util.Arrays.copyOf(axis.times, padded);
        for (int i = 0; i < padded; i++) {
            if (i >= n) times[i] = spec.step().add(axis.times[n - 1], i - n + 1);
            targetRaw[i] = i < n ? raw[i] : Double.NaN;
            observed[i] = !Double.isNaN(targetRaw[i]);
            targetNorm[i] = observed[i] ? (float) spec.normaliseTarget(targetRaw[i]) : 0f;
        }
        LocalDateTime oldest = axis.times[n - 1].minusDays(days);
        List<Integer> anchors = new ArrayList<>();
        for (int a = l - 1; a + h < n; a++) {
            int first = a - l + 1, last = Math.min(n - 1, a + h + k - 1);
            if (axis.segment[first] != axis.segment[last] || !axis.times[last].isAfter(oldest)) continue;
            boolean any = false;
            for (int j = 0; j < k && !any; j++) any = observed[a + h + j];
            if (any) anchors.add(a);
        }
        return new WindowSet("recent", matrix, spec.featureCount(), targetNorm, observed, targetRaw, times,
                anchors.stream().mapToInt(Integer::intValue).toArray(), l, h, k);
    }
}
