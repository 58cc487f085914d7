package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import org.rnn4j.data.CsvException;
import org.rnn4j.data.CsvTable;
import org.junit.jupiter.api.Test;

class ForecastDatasetTest {
    private static final LocalDate START = LocalDate.of(2020, 1, 1);

    /** A daily series v = i with a second column w = 2i. */
    private static CsvTable ramp(int days) {
        return Tables.daily(START, days, "v,w", i -> i + "," + (2 * i));
    }

    @Test
    void windowsLieWhollyInsideOnePartAndHoldTheRightRows() {
        int n = 200;
        ForecastOptions o = ForecastOptions.forTarget("v").withLookback(5).withHorizon(2).withStepsAhead(3)
                .withCalendarFeatures(false);
        ForecastDataset ds = ForecastDataset.from(ramp(n), o);
        PreprocessingReport r = ds.report();
        assertEquals(List.of("v", "w"), r.features());
        int span = 5 + 2 + 3 - 1;
        assertEquals(140, r.part("train").rows());
        assertEquals(20, r.part("validation").rows());
        assertEquals(40, r.part("test").rows());
        FeatureSpec spec = ds.spec();
        for (WindowSet ws : List.of(ds.train(), ds.validation(), ds.test())) {
            PreprocessingReport.PartReport part = r.part(ws.name());
            assertEquals(part.rows() - span + 1, ws.size(), ws.name());
            float[] x = ws.inputs();
            float[] y = ws.targets();
            float[] m = ws.mask();
            for (int i = 0; i < ws.size(); i++) {
                int anchor = ws.anchorRow(i);
                assertTrue(anchor - 4 >= part.firstRow(), ws.name() + " window " + i + " starts before its part");
                assertTrue(anchor + 2 + 2 < part.firstRow() + part.rows(), ws.name() + " window " + i + " ends after its part");
                for (int l = 0; l < 5; l++) {
                    int row = anchor - 4 + l;
                    assertEquals((row - spec.features().get(0).mean()) / spec.features().get(0).std(), x[(i * 5 + l) * 2], 1e-4);
                    assertEquals((2 * row - spec.features().get(1).mean()) / spec.features().get(1).std(),
                            x[(i * 5 + l) * 2 + 1], 1e-4);
                }
                for (int k = 0; k < 3; k++) {
                    int row = anchor + 2 + k;
                    assertEquals(spec.normaliseTarget(row), y[i * 3 + k], 1e-4);
                    assertEquals(1f, m[i * 3 + k]);
                    assertEquals(START.plusDays(row).atStartOfDay(), ws.targetTime(i, k));
                }
            }
        }
        assertEquals(ds.test().size() * 3, ds.test().actual().length);
        assertEquals(168.0, ds.test().actual()[1 * 3 + 1], 0, "test window 1 ends its inputs at row 165; step 1 is row 168");
    }

    @Test
    void normalisationUsesTheTrainingPartOnly() {
        // Training rows hold small values; later rows are 1000 larger. Statistics must not see them.
        int n = 100;
        CsvTable t = Tables.daily(START, n, "v,w", i -> (i < 70 ? i % 7 : 1000 + i % 7) + "," + (i < 70 ? i : -5000));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        double mean = 0;
        for (int i = 0; i < 70; i++) mean += i % 7;
        mean /= 70;
        double ss = 0;
        for (int i = 0; i < 70; i++) ss += (i % 7 - mean) * (i % 7 - mean);
        assertEquals(mean, ds.spec().targetMean(), 1e-12);
        assertEquals(Math.sqrt(ss / 70), ds.spec().targetStd(), 1e-12);
        Feature w = ds.spec().features().get(1);
        assertEquals("w", w.name());
        assertEquals(34.5, w.mean(), 1e-12);
        assertEquals(ds.spec().targetMean(), ds.spec().features().get(0).mean(), 1e-12);
    }

    @Test
    void missingTargetsAreMaskedAndNeverScored() {
        int n = 100;
        // v missing on rows 10 and 90 (test part starts at row 80); w always present.
        CsvTable t = Tables.daily(START, n, "v,w", i -> (i == 10 || i == 90 ? "NA" : String.valueOf(i)) + "," + (i * 0.5));
        ForecastDataset ds = ForecastDataset.from(t,
                ForecastOptions.forTarget("v").withLookback(3).withStepsAhead(2).withCalendarFeatures(false));
        assertEquals(2, ds.report().targetMissing());
        assertEquals(new MissingValues.FillCounts(2, 2, 0, 0), ds.report().column("v").fill());
        WindowSet test = ds.test();
        float[] mask = test.mask();
        float[] y = test.targets();
        double[] actual = test.actual();
        int masked = 0;
        for (int i = 0; i < test.size(); i++) {
            for (int k = 0; k < 2; k++) {
                boolean missing = test.targetRow(i, k) == 90;
                assertEquals(missing ? 0f : 1f, mask[i * 2 + k]);
                if (missing) {
                    masked++;
                    assertEquals(0f, y[i * 2 + k]);
                    assertTrue(Double.isNaN(actual[i * 2 + k]));
                }
            }
        }
        assertEquals(2, masked, "row 90 is target step 0 of one window and step 1 of another");
        assertEquals(test.size() * 2 - 2, test.observedTargets());
        // As an input, the missing value is interpolated: row 90 reads 90 (between 89 and 91).
        int withRow90AsInput = -1;
        for (int i = 0; i < test.size(); i++) if (test.anchorRow(i) == 90) withRow90AsInput = i;
        float[] x = test.inputs();
        Feature v = ds.spec().features().get(0);
        assertEquals((90 - v.mean()) / v.std(), x[(withRow90AsInput * 3 + 2) * 2], 1e-4);
        // The model's error on a masked target does not count.
        double[] predictions = actual.clone();
        for (int i = 0; i < predictions.length; i++) if (Double.isNaN(predictions[i])) predictions[i] = 1e9;
        assertEquals(0.0, Evaluation.evaluate(ds, predictions).model().mae(), 0);
    }

    @Test
    void windowsWhoseOnlyTargetIsMissingAreDropped() {
        CsvTable t = Tables.daily(START, 100, "v", i -> i == 90 ? "" : String.valueOf(i));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        for (int i = 0; i < ds.test().size(); i++) assertFalse(ds.test().targetRow(i, 0) == 90);
        assertEquals(20 - 4 + 1 - 1, ds.test().size());
    }

    @Test
    void duplicatesGapsBreaksAndSorting() {
        StringBuilder sb = new StringBuilder("date,v\n");
        LocalDate d = START;
        int rows = 0;
        for (int i = 0; i < 300; i++) {
            if (i == 100) d = d.plusDays(1); // one missing day: filled (limit 3 for daily data)
            if (i == 200) d = d.plusDays(10); // ten missing days: a break
            sb.append(d).append(',').append(i).append('\n');
            rows++;
            if (i == 50) sb.append(d).append(",999\n"); // duplicate timestamp, dropped
            d = d.plusDays(1);
        }
        // Move one row to the end of the file: it must be sorted back into place.
        String text = sb.toString();
        String moved = "2020-01-03,2\n";
        text = text.replace(moved, "") + moved;
        ForecastDataset ds = ForecastDataset.from(Tables.csv(text), ForecastOptions.forTarget("v").withLookback(5));
        PreprocessingReport r = ds.report();
        assertEquals(rows + 1, r.rowsRead());
        assertEquals(1, r.duplicates());
        assertEquals(1, r.outOfOrder());
        assertEquals(2, r.gaps());
        assertEquals("10 days missing after " + START.plusDays(200).atStartOfDay(), r.largestGap());
        assertEquals(1, r.rowsInserted());
        assertEquals(1, r.breaks());
        assertEquals(301, r.rows());
        assertEquals(1, r.targetMissing(), "the inserted row has no target");
        assertEquals(50.0, ds.targetValues()[50], 0, "the first of the duplicates is kept");
        for (WindowSet ws : List.of(ds.train(), ds.validation(), ds.test())) {
            for (int i = 0; i < ws.size(); i++) {
                LocalDateTime first = ws.anchorTime(i).minusDays(4);
                LocalDateTime target = ws.targetTime(i, 0);
                assertEquals(first.plusDays(5), target, "window " + i + " of " + ws.name() + " spans a break");
            }
        }
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("break the series")), r.warnings().toString());
    }

    @Test
    void featureSelectionAndOneHotFromTrainingCategories() {
        int n = 100;
        CsvTable t = Tables.daily(START, n, "row_nr,year,const,sky,name,mostly_missing,free_text,v", i ->
                (i + 1) + ",2020,5," + (i < 70 ? (i % 2 == 0 ? "sun" : "rain") : "snow") + ",\"SEATTLE, WA\","
                        + (i % 4 == 0 ? "1" : "NA") + ",note" + i + "," + (i % 10));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        PreprocessingReport r = ds.report();
        assertEquals(List.of("sky=rain", "sky=sun", "v", "day_of_year_sin", "day_of_year_cos"), r.features());
        assertEquals("a running index", r.column("row_nr").detail());
        assertEquals("a date/time component", r.column("year").detail());
        assertEquals("constant", r.column("const").detail());
        assertEquals("constant", r.column("name").detail());
        assertEquals("75% missing", r.column("mostly_missing").detail());
        assertTrue(r.column("free_text").detail().startsWith("text with 70 distinct values"), r.column("free_text").detail());
        assertEquals("time", r.column("date").role());
        assertEquals("target", r.column("v").role());
        // 'snow' appears only after the training part: it encodes as no category (all zeros).
        float[] x = ds.test().inputs();
        int f = ds.spec().featureCount();
        for (int i = 0; i < ds.test().size(); i++) {
            assertEquals(0f, x[(i * 3) * f]);
            assertEquals(0f, x[(i * 3) * f + 1]);
        }
        float[] xt = ds.train().inputs();
        assertEquals(1f, xt[0] + xt[1], "exactly one category is hot in training rows");
    }

    @Test
    void explicitFeaturesAlwaysIncludeTheTarget() {
        CsvTable t = Tables.daily(START, 100, "a,b,v", i -> i + "," + (i % 3) + "," + (i % 10));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withFeatures(List.of("b"))
                .withLookback(3).withCalendarFeatures(false));
        assertEquals(List.of("b", "v"), ds.report().features());
        assertEquals("excluded", ds.report().column("a").role());
    }

    @Test
    void componentColumnsMakeHourlyTimeWithHourFeatures() {
        StringBuilder sb = new StringBuilder("No,year,month,day,hour,TEMP,cbwd\n");
        LocalDateTime t0 = LocalDateTime.of(2010, 12, 31, 0, 0);
        for (int i = 0; i < 24 * 30; i++) {
            LocalDateTime t = t0.plusHours(i);
            sb.append(i + 1).append(',').append(t.getYear()).append(',').append(t.getMonthValue()).append(',')
                    .append(t.getDayOfMonth()).append(',').append(t.getHour()).append(',').append(i % 17).append(',')
                    .append(i % 3 == 0 ? "NW" : "cv").append('\n');
        }
        ForecastDataset ds = ForecastDataset.from(Tables.csv(sb.toString()), ForecastOptions.forTarget("TEMP"));
        PreprocessingReport r = ds.report();
        assertEquals("columns year, month, day, hour", r.time());
        assertEquals("1 hour", r.step());
        assertEquals(48, ds.spec().lookback(), "default lookback for hourly data is two days");
        assertEquals(List.of("TEMP", "cbwd=NW", "cbwd=cv", "day_of_year_sin", "day_of_year_cos", "hour_of_day_sin",
                "hour_of_day_cos"), r.features());
        // Hour features: row 6 is 06:00, a quarter of the day.
        float[] x = ds.train().inputs();
        int f = r.features().size();
        assertEquals(1.0, x[6 * f + 5], 1e-6);
        assertEquals(0.0, x[6 * f + 6], 1e-6);
    }

    @Test
    void timeColumnDetection() {
        assertEquals("column 'Date Time'", ForecastDataset.from(Tables.csv(
                daysText("Date Time,T (degC)", 100, i -> String.format(Locale.ROOT, "%02d.%02d.2009 00:00:00,%d",
                        1 + i % 28, 1 + i / 28, i % 5))), ForecastOptions.forTarget("T (degC)").withLookback(2))
                .report().time());
        assertEquals("column 'DATE'", ForecastDataset.from(Tables.csv(
                daysText("\"STATION\",\"NAME\",\"DATE\",\"TMAX\"", 100, i -> "\"USW1\",\"SEATTLE, WA US\",\""
                        + START.plusDays(i) + "\",\"" + (i % 9) + "\"")), ForecastOptions.forTarget("TMAX").withLookback(2))
                .report().time());
        // Explicit component list.
        assertEquals("columns y, m, d", ForecastDataset.from(Tables.csv(daysText("y,m,d,v", 100, i -> {
            LocalDate d = START.plusDays(i);
            return d.getYear() + "," + d.getMonthValue() + "," + d.getDayOfMonth() + "," + (i % 7);
        })), ForecastOptions.forTarget("v").withTimeColumn("y,m,d").withLookback(2)).report().time());
    }

    @Test
    void monthlyData() {
        CsvTable t = Tables.csv(daysText("Month,Passengers", 144, i -> String.format(Locale.ROOT, "%d-%02d,%d",
                1949 + i / 12, 1 + i % 12, 100 + i + 10 * (i % 12))));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("Passengers").withLookback(6));
        assertEquals("column 'Month'", ds.report().time(), "a column of dates is found whatever its name");
        assertEquals("1 month", ds.report().step());
        assertEquals(0, ds.report().gaps());
        assertEquals(24, ForecastOptions.forTarget("x").resolveLookback(ds.step()));
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).persistence());
        assertEquals("1 year", ev.baselines().season());
    }

    private static String daysText(String header, int n, java.util.function.IntFunction<String> row) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (int i = 0; i < n; i++) sb.append(row.apply(i)).append('\n');
        return sb.toString();
    }

    @Test
    void loadsSemicolonFilesAndNamesAMissingFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        StringBuilder sb = new StringBuilder("\uFEFF\"Datum\";\"Temp\"\r\n");
        for (int i = 0; i < 100; i++) {
            sb.append(START.plusDays(i).format(java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy")))
                    .append(';').append(i % 9).append("\r\n");
        }
        java.nio.file.Path f = dir.resolve("station.csv");
        java.nio.file.Files.writeString(f, sb);
        ForecastDataset ds = ForecastDataset.load(f, ForecastOptions.forTarget("Temp").withLookback(3));
        assertEquals("column 'Datum'", ds.report().time());
        assertEquals(100, ds.report().rows());
        java.nio.file.Path missing = dir.resolve("nope.csv");
        ForecastDataException e = assertThrows(ForecastDataException.class,
                () -> ForecastDataset.load(missing, ForecastOptions.forTarget("x")));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    // ------------------------------------------------------------------ errors

    private static String error(CsvTable t, ForecastOptions o) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForecastDataset.from(t, o));
        assertTrue(e instanceof ForecastDataException || e instanceof CsvException, e.toString());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void clearErrors() {
        CsvTable seattle = Tables.daily(START, 100, "temp,weather,empty", i -> (i % 9) + ",rain,NA");
        assertEquals("t.csv: unknown column 'tmax'; the file has: date, temp, weather, empty",
                error(seattle, ForecastOptions.forTarget("tmax")));
        assertTrue(error(seattle, ForecastOptions.forTarget("weather"))
                .contains("target column 'weather' is not numeric (line 2 has 'rain'); numeric columns: temp"));
        assertTrue(error(seattle, ForecastOptions.forTarget("empty")).contains("target column 'empty' has no values"));
        assertTrue(error(seattle, ForecastOptions.forTarget("temp").withFeatures(List.of("empty")))
                .contains("column 'empty' has no values"));
        assertTrue(error(seattle, new ForecastOptions(null, null, null, 0, 1, 1, 0.7, 0.1, -1, -1, 20, true, null))
                .contains("no target column given"));
        assertTrue(error(seattle, ForecastOptions.forTarget("date")).contains("is a time column"));
        String tooFew = error(seattle, ForecastOptions.forTarget("temp").withLookback(30));
        assertTrue(tooFew.contains("too few rows for lookback 30 + horizon 1 + steps ahead 1 - 1 = 31 rows per window"), tooFew);
        assertTrue(tooFew.contains("validation part has 10 rows"), tooFew);

        CsvTable noHeader = Tables.csv("2012-01-01,0.0,12.8\n2012-01-02,1.0,10.6\n");
        assertTrue(error(noHeader, ForecastOptions.forTarget("x")).contains("the first line looks like data, not a header"));
        CsvTable numericHeader = Tables.csv("1,2010,3,4,0,NA,-21\n2,2010,1,1,1,NA,-21\n");
        assertTrue(error(numericHeader, ForecastOptions.forTarget("x")).contains("looks like data"));
        CsvTable noTime = Tables.csv("a,b\n1,2\n3,4\n");
        assertTrue(error(noTime, ForecastOptions.forTarget("a")).contains("no time column found"));
        CsvTable badTime = Tables.csv("date,v\n2012-01-01,1\nsoon,2\n");
        assertTrue(error(badTime, ForecastOptions.forTarget("v")).startsWith("t.csv, line 3, column 'date': cannot read 'soon'"));
        CsvTable constant = Tables.daily(START, 100, "v", i -> "4");
        assertTrue(error(constant, ForecastOptions.forTarget("v")).contains("is constant"));
    }
}
