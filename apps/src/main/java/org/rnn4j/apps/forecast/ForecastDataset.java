package org.rnn4j.apps.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.data.CsvReader;
import org.rnn4j.data.CsvTable;

/**
 * A CSV time series prepared for a forecasting network: windows of the train, validation and test
 * parts as normalised float arrays, the {@link FeatureSpec} to reproduce the inputs later, and a
 * {@link PreprocessingReport} of what was done. The policy is in the package documentation.
 *
 * <pre>{@code
 * ForecastDataset ds = ForecastDataset.load(Path.of("beijing.csv"),
 *         ForecastOptions.forTarget("TEMP").withLookback(48).withHorizon(24));
 * System.out.print(ds.report().toText());
 * float[] x = ds.train().inputs();            // [N, L, F]
 * float[] y = ds.train().targets();           // [N, K], normalised
 * ...
 * double[] predictions = ds.spec().denormaliseTarget(modelOutputOnTest);   // [N_test, K]
 * Evaluation ev = Evaluation.evaluate(ds, predictions);
 * }</pre>
 */
public final class ForecastDataset {
    /** The embedded default data: Seattle daily weather 2012–2015 (NOAA, via vega-datasets). */
    public static final String DEFAULT_RESOURCE = "seattle-weather.csv";
    /** The default target on the embedded data. */
    public static final String DEFAULT_TARGET = "temp_max";

    /**
     * {@code --log-inputs auto} feeds a numeric input column as log(1 + x) when, over the training part, its minimum
     * is >= 0 and its skewness (third standardised moment) is above this: heavy right tails such as rain, snow,
     * wind run or particulate counts, whose rare large values otherwise dominate the normalised scale.
     */
    public static final double LOG_SKEWNESS = 1.5;

    /** Lower-case names of running-index columns, never used as features by default. */
    static final Set<String> INDEX_NAMES = Set.of("no", "index", "id", "idx", "", "unnamed: 0", "row", "rownum");

    private final FeatureSpec spec;
    private final PreprocessingReport report;
    private final WindowSet train;
    private final WindowSet validation;
    private final WindowSet test;
    // The regularised series, for the baselines.
    private final LocalDateTime[] times;
    private final double[] targetRaw; // NaN where missing
    private final int trainEnd; // rows [0, trainEnd) are the training part

    private ForecastDataset(FeatureSpec spec, PreprocessingReport report, WindowSet train, WindowSet validation,
            WindowSet test, LocalDateTime[] times, double[] targetRaw, int trainEnd) {
        this.spec = spec;
        this.report = report;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.times = times;
        this.targetRaw = targetRaw;
        this.trainEnd = trainEnd;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Reads a UTF-8 CSV file (delimiter detected from the header: comma, semicolon, tab or bar) and
     * prepares it.
     *
     * @throws ForecastDataException when the file does not exist or cannot be prepared
     * @throws org.rnn4j.data.CsvException when it is not a readable CSV file
     */
    public static ForecastDataset load(Path csv, ForecastOptions options) throws IOException {
        return from(readTable(csv), options);
    }

    /** Reads a CSV file for forecasting: a clear error when it is missing, the delimiter detected. */
    public static CsvTable readTable(Path csv) throws IOException {
        if (!java.nio.file.Files.isRegularFile(csv)) {
            throw new ForecastDataException(csv + ": no such file");
        }
        return CsvReader.readTable(csv, CsvReader.Options.defaults().withDelimiter(CsvReader.detectDelimiter(csv)));
    }

    /** Prepares the embedded Seattle data ({@link #DEFAULT_RESOURCE}). */
    public static ForecastDataset loadDefault(ForecastOptions options) throws IOException {
        return from(readDefaultTable(), options);
    }

    /** The embedded Seattle daily weather table. */
    public static CsvTable readDefaultTable() throws IOException {
        InputStream in = ForecastDataset.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) throw new IOException("resource " + DEFAULT_RESOURCE + " is missing from the classpath");
        return CsvReader.readTable(in, DEFAULT_RESOURCE + " (embedded)", CsvReader.Options.defaults());
    }

    /** Prepares an already read table. */
    public static ForecastDataset from(CsvTable table, ForecastOptions options) {
        return new Builder(table, options).build();
    }

    // ------------------------------------------------------------------ accessors

    /** What the model needs to turn rows into inputs and outputs into target units. */
    public FeatureSpec spec() {
        return spec;
    }

    /** What preprocessing found and did. */
    public PreprocessingReport report() {
        return report;
    }

    public WindowSet train() {
        return train;
    }

    public WindowSet validation() {
        return validation;
    }

    public WindowSet test() {
        return test;
    }

    /** The target column. */
    public String target() {
        return spec.target();
    }

    /** The series' step. */
    public TimeStep step() {
        return spec.step();
    }

    /** Timestamps of the regularised series (a copy). */
    public LocalDateTime[] times() {
        return times.clone();
    }

    /** Target values of the regularised series in their own units, NaN where missing (a copy). */
    public double[] targetValues() {
        return targetRaw.clone();
    }

    /** The number of rows in the training part; rows {@code [0, trainEnd)}. */
    public int trainEnd() {
        return trainEnd;
    }

    /**
     * A short SHA-256 (16 hex digits) of what training reads: the training and validation windows, their
     * inputs, targets and mask. A resumed run compares it, so that changed data is refused.
     */
    public String trainingDataSha256() {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        train.digest(md);
        validation.digest(md);
        return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    LocalDateTime[] timesView() {
        return times;
    }

    double[] targetView() {
        return targetRaw;
    }

    // ------------------------------------------------------------------ building

    /** One use: reads the columns, chooses features, fills, normalises, windows. */
    private static final class Builder {
        private final CsvTable table;
        private final ForecastOptions options;
        private final String source;
        private final List<String> warnings = new ArrayList<>();

        Builder(CsvTable table, ForecastOptions options) {
            this.table = table;
            this.options = options;
            this.source = table.source();
        }

        ForecastDataset build() {
            checkHeader();
            TimeSpec timeSpec = TimeAxis.detect(table, options.timeColumn());
            String target = resolveTarget(timeSpec);
            TimeAxis axis = TimeAxis.build(table, timeSpec, null, options::resolveMaxGapFill);
            TimeStep step = axis.step;
            int lookback = options.resolveLookback(step);
            int maxInterp = options.resolveMaxInterpolation(step);
            int maxGapFill = options.resolveMaxGapFill(step);
            int n = axis.size();

            // Chronological split by rows of the regularised series.
            double testFraction = 1 - options.trainFraction() - options.validationFraction();
            int testRows = (int) Math.round(n * testFraction);
            int valRows = (int) Math.round(n * options.validationFraction());
            int trainEnd = n - testRows - valRows;
            int valEnd = trainEnd + valRows;

            Columns cols = new Columns(table, axis, maxInterp);
            Map<String, PreprocessingReport.ColumnReport> columnReports = new LinkedHashMap<>();
            for (String c : timeSpec.columns()) {
                columnReports.put(c, new PreprocessingReport.ColumnReport(c, "time", "", MissingValues.FillCounts.NONE, 0));
            }

            // The target: numeric, with values.
            Columns.Numeric targetCol = cols.numeric(target);
            if (!targetCol.isNumeric()) {
                if (targetCol.present() == 0) {
                    throw new ForecastDataException(source + ": target column '" + target + "' has no values: all "
                            + table.rowCount() + " rows are missing");
                }
                throw new ForecastDataException(source + ": target column '" + target + "' is not numeric (line "
                        + targetCol.firstNonNumericLine() + " has '" + targetCol.firstNonNumeric() + "'); numeric columns: "
                        + String.join(", ", numericColumns(cols, timeSpec)));
            }

            List<Selected> selected = selectFeatures(cols, timeSpec, target, trainEnd, columnReports);

            Map<String, String> logged = logColumns(cols, selected, target, trainEnd);

            // Numeric features: fill, then training-part statistics (of log(1 + x) for the logged columns).
            List<Feature> features = new ArrayList<>();
            for (Selected s : selected) {
                Columns.Numeric raw = cols.numeric(s.column);
                if (s.categories == null) {
                    Columns.Filled f = cols.filled(s.column);
                    boolean log = logged.containsKey(s.column);
                    double[] values = f.values();
                    if (log) {
                        values = values.clone();
                        for (int i = 0; i < values.length; i++) values[i] = Feature.logOf(values[i]);
                    }
                    double[] stats = meanStd(values, 0, trainEnd, null);
                    double std = stats[1];
                    if (!(std > 1e-12)) {
                        std = 1; // constant over the training part: centre it, do not divide by ~0
                        if (!s.column.equals(target)) {
                            warnings.add("column '" + s.column + "' is constant in the training part; it carries no information there");
                        }
                    }
                    features.add(Feature.numeric(s.column, stats[0], std, log));
                    String role = s.column.equals(target) ? "target" : "numeric";
                    columnReports.put(s.column, new PreprocessingReport.ColumnReport(s.column, role,
                            log ? logged.get(s.column) : "", f.counts(), raw.nonNumeric()));
                    if (raw.nonNumeric() > 0) {
                        warnings.add("column '" + s.column + "': " + raw.nonNumeric() + " values that are not numbers were"
                                + " treated as missing (e.g. '" + raw.firstNonNumeric() + "' at line "
                                + raw.firstNonNumericLine() + ")");
                    }
                } else {
                    for (String cat : s.categories) features.add(Feature.oneHot(s.column, cat));
                }
            }
            if (options.calendarFeatures() && !(step.months() >= 12)) {
                features.add(Feature.calendar(Feature.Kind.DAY_OF_YEAR_SIN));
                features.add(Feature.calendar(Feature.Kind.DAY_OF_YEAR_COS));
                if (step.isSubDaily()) {
                    features.add(Feature.calendar(Feature.Kind.HOUR_OF_DAY_SIN));
                    features.add(Feature.calendar(Feature.Kind.HOUR_OF_DAY_COS));
                }
            }

            // The target: observed values only, statistics from the training part.
            double[] targetRaw = targetCol.values();
            boolean[] observed = new boolean[n];
            int targetMissing = 0;
            for (int i = 0; i < n; i++) {
                observed[i] = !Double.isNaN(targetRaw[i]);
                if (!observed[i]) targetMissing++;
            }
            double[] tStats = meanStd(targetRaw, 0, trainEnd, observed);
            if (Double.isNaN(tStats[0])) {
                throw new ForecastDataException(source + ": target column '" + target + "' has no values in the training "
                        + "part (the first " + trainEnd + " rows, to " + axis.times[Math.max(0, trainEnd - 1)] + ")");
            }
            if (!(tStats[1] > 1e-12)) {
                throw new ForecastDataException(source + ": target column '" + target + "' is constant in the training part"
                        + " (every value is " + tStats[0] + "); there is nothing to forecast");
            }
            float[] targetNorm = new float[n];
            for (int i = 0; i < n; i++) targetNorm[i] = observed[i] ? (float) ((targetRaw[i] - tStats[0]) / tStats[1]) : 0f;

            FeatureSpec spec = new FeatureSpec(timeSpec, step, target, tStats[0], tStats[1], features, lookback,
                    options.horizon(), options.stepsAhead(), maxInterp, maxGapFill);

            Map<String, Integer> missingCategory = new LinkedHashMap<>();
            float[] matrix = cols.encode(features, missingCategory);
            for (Selected s : selected) {
                if (s.categories != null) {
                    int miss = missingCategory.getOrDefault(s.column, 0);
                    columnReports.put(s.column, new PreprocessingReport.ColumnReport(s.column, "one-hot",
                            String.join(", ", s.categories), new MissingValues.FillCounts(miss, 0, 0, 0), 0));
                }
            }

            // Windows: wholly inside one part and one segment, with at least one observed target.
            int[] partEnds = {trainEnd, valEnd, n};
            int[] partStarts = {0, trainEnd, valEnd};
            String[] partNames = {"train", "validation", "test"};
            int span = spec.windowSpan();
            int h = options.horizon();
            int k = options.stepsAhead();
            WindowSet[] sets = new WindowSet[3];
            List<PreprocessingReport.PartReport> parts = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                List<Integer> anchors = new ArrayList<>();
                for (int first = partStarts[p]; first + span <= partEnds[p]; first++) {
                    int last = first + span - 1;
                    if (axis.segment[first] != axis.segment[last]) continue;
                    int anchor = first + lookback - 1;
                    boolean any = false;
                    for (int j = 0; j < k && !any; j++) any = observed[anchor + h + j];
                    if (any) anchors.add(anchor);
                }
                int[] a = anchors.stream().mapToInt(Integer::intValue).toArray();
                sets[p] = new WindowSet(partNames[p], matrix, features.size(), targetNorm, observed, targetRaw, axis.times,
                        a, lookback, h, k);
                int rows = partEnds[p] - partStarts[p];
                parts.add(new PreprocessingReport.PartReport(partNames[p], partStarts[p], rows,
                        rows > 0 ? axis.times[partStarts[p]] : null, rows > 0 ? axis.times[partEnds[p] - 1] : null, a.length));
            }
            checkWindows(sets, parts, n, span, lookback);

            List<PreprocessingReport.ColumnReport> reports = new ArrayList<>();
            for (String name : table.columnNames()) {
                PreprocessingReport.ColumnReport r = columnReports.get(name);
                reports.add(r != null ? r : new PreprocessingReport.ColumnReport(name, "excluded", "not selected",
                        MissingValues.FillCounts.NONE, 0));
            }
            addTimeWarnings(axis, step, maxGapFill);
            String largestGap = axis.gaps == 0 ? "none"
                    : step.describeSpan(axis.largestGapSteps) + " missing after " + axis.largestGapAfter;
            PreprocessingReport report = new PreprocessingReport(source, table.rowCount(), timeSpec.describe(),
                    axis.times[0], axis.times[n - 1], step.describe(), axis.outOfOrder, axis.duplicates, axis.irregular,
                    axis.gaps, largestGap, axis.rowsInserted, axis.breaks, n, target, targetMissing, tStats[0], tStats[1],
                    spec.featureNames(), reports, parts, lookback, h, k, maxInterp, maxGapFill, warnings);
            return new ForecastDataset(spec, report, sets[0], sets[1], sets[2], axis.times, targetRaw, trainEnd);
        }

        /**
         * The numeric input columns to feed as log(1 + x), with the report detail of each ({@link #LOG_SKEWNESS} for
         * auto). The target never: its normalisation also maps forecasts back to its units.
         */
        private Map<String, String> logColumns(Columns cols, List<Selected> selected, String target, int trainEnd) {
            String how = options.logInputs();
            Map<String, String> out = new LinkedHashMap<>();
            if (how.equals("none")) return out;
            boolean auto = how.equals("auto");
            Set<String> named = new LinkedHashSet<>();
            if (!auto) for (String c : how.split(",")) if (!c.strip().isEmpty()) named.add(c.strip());
            for (String c : named) {
                boolean numericInput = selected.stream().anyMatch(x -> x.column.equals(c) && x.categories == null);
                if (c.equals(target)) {
                    throw new ForecastDataException(source + ": --log-inputs names the target '" + c + "'; only other input columns"
                            + " can be log-transformed");
                }
                if (!numericInput) {
                    throw new ForecastDataException(source + ": --log-inputs names '" + c + "', which is not a numeric input column;"
                            + " numeric inputs: " + String.join(", ", selected.stream().filter(x -> x.categories == null)
                            .map(x -> x.column).filter(x -> !x.equals(target)).toList()));
                }
            }
            for (Selected s : selected) {
                if (s.categories != null || s.column.equals(target)) continue;
                if (!auto && !named.contains(s.column)) continue;
                double[] v = cols.filled(s.column).values();
                double[] st = meanStd(v, 0, trainEnd, null);
                double min = Double.POSITIVE_INFINITY, m3 = 0;
                for (int i = 0; i < trainEnd; i++) {
                    min = Math.min(min, v[i]);
                    double d = v[i] - st[0];
                    m3 += d * d * d;
                }
                double skew = st[1] > 1e-12 ? m3 / trainEnd / (st[1] * st[1] * st[1]) : 0;
                if (min < 0) {
                    if (!auto) {
                        throw new ForecastDataException(source + ": --log-inputs names '" + s.column + "', which has negative"
                                + " values in the training part (minimum " + min + "); log(1 + x) needs x >= 0");
                    }
                    continue;
                }
                if (auto && !(skew > LOG_SKEWNESS)) continue;
                out.put(s.column, String.format(Locale.ROOT, "log(1 + x): training skewness %.2f, minimum %.4g", skew, min));
            }
            return out;
        }

        /** A first line made of values is a missing header; say so rather than failing later. */
        private void checkHeader() {
            List<String> names = table.columnNames();
            int numeric = 0;
            for (String name : names) {
                if (TimeParser.tryParse(name).isPresent()) {
                    throw new ForecastDataException(source + ": the first line looks like data, not a header (it has '"
                            + name + "'); the file needs a header row naming the columns");
                }
                if (!Double.isNaN(Cells.parseNumber(name))) numeric++;
            }
            if (numeric * 2 > names.size()) {
                throw new ForecastDataException(source + ": the first line looks like data, not a header ("
                        + String.join(",", names) + "); the file needs a header row naming the columns");
            }
        }

        private String resolveTarget(TimeSpec timeSpec) {
            String target = options.target();
            if (target == null) {
                throw new ForecastDataException(source + ": no target column given; name the column to forecast with "
                        + "--target (the file has: " + String.join(", ", table.columnNames()) + ")");
            }
            table.columnIndex(target); // unknown column: lists the columns
            if (timeSpec.columns().contains(target)) {
                throw new ForecastDataException(source + ": the target '" + target + "' is a time column; choose a"
                        + " measured column");
            }
            return target;
        }

        private List<String> numericColumns(Columns cols, TimeSpec timeSpec) {
            List<String> out = new ArrayList<>();
            for (String name : table.columnNames()) {
                if (!timeSpec.columns().contains(name) && cols.numeric(name).isNumeric()) out.add(name);
            }
            return out;
        }

        /** A chosen input column: numeric (categories null) or one-hot. */
        private record Selected(String column, List<String> categories) {}

        private List<Selected> selectFeatures(Columns cols, TimeSpec timeSpec, String target, int trainEnd,
                Map<String, PreprocessingReport.ColumnReport> reports) {
            List<Selected> out = new ArrayList<>();
            Set<String> timeCols = new HashSet<>(timeSpec.columns());
            if (!options.features().isEmpty()) {
                Set<String> wanted = new LinkedHashSet<>();
                for (String f : options.features()) {
                    String name = f.strip();
                    table.columnIndex(name); // unknown column: lists the columns
                    if (timeCols.contains(name)) {
                        throw new ForecastDataException(source + ": '" + name + "' is the time column; calendar features"
                                + " are added from it automatically, so leave it out of --features");
                    }
                    wanted.add(name);
                }
                wanted.add(target); // the target's own history is always an input
                for (String name : table.columnNames()) {
                    if (!wanted.contains(name)) continue;
                    Columns.Numeric raw = cols.numeric(name);
                    if (raw.present() == 0) {
                        throw new ForecastDataException(source + ": column '" + name + "' has no values: all "
                                + table.rowCount() + " rows are missing");
                    }
                    if (raw.isNumeric()) {
                        cols.filled(name);
                        out.add(new Selected(name, null));
                    } else {
                        List<String> cats = categories(cols, name, trainEnd);
                        if (cats.size() > options.maxCategories()) {
                            throw new ForecastDataException(source + ": column '" + name + "' is text with " + cats.size()
                                    + " distinct values in the training part, more than the " + options.maxCategories()
                                    + " that are one-hot encoded; leave it out of --features");
                        }
                        if (cats.isEmpty()) {
                            throw new ForecastDataException(source + ": column '" + name + "' has no values in the"
                                    + " training part, so it cannot be encoded");
                        }
                        out.add(new Selected(name, cats));
                    }
                }
                return out;
            }
            List<String> names = table.columnNames();
            for (int c = 0; c < names.size(); c++) {
                String name = names.get(c);
                if (timeCols.contains(name)) continue;
                if (name.equals(target)) {
                    out.add(new Selected(name, null));
                    continue;
                }
                String lower = name.strip().toLowerCase(Locale.ROOT);
                String why = null;
                List<String> cats = null;
                Columns.Numeric raw = cols.numeric(name);
                boolean component = false;
                for (Set<String> names2 : TimeAxis.COMPONENT_NAMES) component |= names2.contains(lower);
                if (component || lower.equals("second")) {
                    why = "a date/time component";
                } else if (raw.present() == 0) {
                    why = "no values";
                } else if (raw.isNumeric() && (INDEX_NAMES.contains(lower) || isRunningIndex(c))) {
                    why = "a running index";
                } else if (raw.isNumeric()) {
                    double missingShare = 1 - (double) raw.observed() / raw.values().length;
                    if (missingShare > 0.5) {
                        why = String.format(Locale.ROOT, "%.0f%% missing", 100 * missingShare);
                    } else if (trainObserved(raw.values(), trainEnd) == 0) {
                        why = "no values in the training part";
                    } else if (isConstant(raw.values())) {
                        why = "constant";
                    }
                } else {
                    cats = categories(cols, name, trainEnd);
                    if (cats.size() > options.maxCategories()) {
                        why = "text with " + cats.size() + " distinct values (more than " + options.maxCategories() + ")";
                    } else if (cats.size() <= 1) {
                        why = cats.isEmpty() ? "no values in the training part" : "constant";
                    } else if (INDEX_NAMES.contains(lower)) {
                        why = "an identifier";
                    }
                }
                if (why != null) {
                    reports.put(name, new PreprocessingReport.ColumnReport(name, "excluded", why,
                            MissingValues.FillCounts.NONE, 0));
                } else {
                    out.add(new Selected(name, raw.isNumeric() ? null : cats));
                }
            }
            return out;
        }

        /** Values 1, 2, 3, ... (or any start) in file order: a row number, not a measurement. */
        private boolean isRunningIndex(int column) {
            int n = table.rowCount();
            if (n < 3) return false;
            double prev = Cells.parseNumber(table.value(0, column));
            if (Double.isNaN(prev) || prev != Math.rint(prev)) return false;
            for (int r = 1; r < n; r++) {
                double v = Cells.parseNumber(table.value(r, column));
                if (v != prev + 1) return false;
                prev = v;
            }
            return true;
        }

        private static int trainObserved(double[] v, int trainEnd) {
            int c = 0;
            for (int i = 0; i < trainEnd; i++) if (!Double.isNaN(v[i])) c++;
            return c;
        }

        private static boolean isConstant(double[] v) {
            double first = Double.NaN;
            for (double d : v) {
                if (Double.isNaN(d)) continue;
                if (Double.isNaN(first)) first = d;
                else if (d != first) return false;
            }
            return true;
        }

        /** Distinct text values in the training part, sorted. */
        private static List<String> categories(Columns cols, String column, int trainEnd) {
            String[] t = cols.text(column);
            TreeSet<String> set = new TreeSet<>();
            for (int i = 0; i < trainEnd; i++) {
                if (t[i] != null) {
                    set.add(t[i]);
                    if (set.size() > 10_000) break;
                }
            }
            return new ArrayList<>(set);
        }

        private void checkWindows(WindowSet[] sets, List<PreprocessingReport.PartReport> parts, int n, int span,
                int lookback) {
            for (int p = 0; p < 3; p++) {
                if (p == 1 && options.validationFraction() == 0) continue; // no validation part asked for
                if (sets[p].isEmpty()) {
                    PreprocessingReport.PartReport part = parts.get(p);
                    double smallest = p == 0 ? options.trainFraction()
                            : p == 1 ? options.validationFraction()
                            : 1 - options.trainFraction() - options.validationFraction();
                    int needed = (int) Math.ceil(span / smallest);
                    throw new ForecastDataException(String.format(Locale.ROOT,
                            "%s: too few rows for lookback %d + horizon %d + steps ahead %d - 1 = %d rows per window: "
                                    + "the %s part has %d rows (%.0f%% of %d) and holds no complete window%s; "
                                    + "use a shorter --lookback or --horizon, or a file with at least about %d rows",
                            source, lookback, options.horizon(), options.stepsAhead(), span, part.name(), part.rows(),
                            100 * smallest, n, part.rows() >= span ? " (its windows span breaks or missing targets)" : "",
                            needed));
                }
            }
        }

        private void addTimeWarnings(TimeAxis axis, TimeStep step, int maxGapFill) {
            if (axis.duplicates > 0) {
                String w = axis.duplicates + " rows repeat an earlier timestamp and were dropped (the first was kept)";
                if (axis.duplicates * 10 >= axis.rowsRead) {
                    w += "; does the file hold several series (e.g. several stations or locations)? Filter it to one";
                }
                warnings.add(w);
            }
            if (axis.breaks > 0) {
                warnings.add(axis.breaks + " gaps longer than " + step.describeSpan(maxGapFill)
                        + " break the series; no window spans them");
            }
            if (axis.irregular > 0) {
                warnings.add(axis.irregular + " rows are less than half a step (" + step.describe()
                        + ") after the previous one; the series is not regular there");
            }
        }
    }

    /**
     * Mean and population standard deviation over rows {@code [from, to)}, only where {@code use} is
     * true (all rows when null) and the value is not NaN; NaN mean when there are none.
     */
    static double[] meanStd(double[] v, int from, int to, boolean[] use) {
        double sum = 0;
        int count = 0;
        for (int i = from; i < to; i++) {
            if ((use == null || use[i]) && !Double.isNaN(v[i])) {
                sum += v[i];
                count++;
            }
        }
        if (count == 0) return new double[] {Double.NaN, Double.NaN};
        double mean = sum / count;
        double ss = 0;
        for (int i = from; i < to; i++) {
            if ((use == null || use[i]) && !Double.isNaN(v[i])) {
                double d = v[i] - mean;
                ss += d * d;
            }
        }
        return new double[] {mean, Math.sqrt(ss / count)};
    }
}
