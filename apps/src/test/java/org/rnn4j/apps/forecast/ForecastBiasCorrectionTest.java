package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.CsvTable;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * {@link BiasCorrection}: the mean of the recent errors by hand, a constant bias removed, no information from after
 * the forecast time, and the same correction in {@code predict} (from a file's recent rows) as in the evaluation.
 */
class ForecastBiasCorrectionTest {
    @TempDir
    Path dir;

    static final LocalDate START = LocalDate.of(2020, 1, 1);

    /** 300 days of a noisy seasonal temperature (with {@code temp} overridden from day {@code from} on) and wind. */
    static CsvTable table(int from, double shift) {
        Rng r = new Rng(7);
        return Tables.daily(START, 300, "temp,wind", i -> {
            double temp = 10 + 8 * Math.sin(2 * Math.PI * i / 60.0) + r.nextGaussian() + (i >= from ? shift : 0);
            return String.format(Locale.ROOT, "%.3f,%.3f", temp, 3 + Math.abs(r.nextGaussian()));
        });
    }

    static ForecastDataset data(CsvTable t) {
        return ForecastDataset.from(t, ForecastOptions.forTarget("temp").withLookback(5).withHorizon(2).withStepsAhead(2));
    }

    /** An untrained network: its forecasts are still a function of the window alone, which is all this needs. */
    static Forecaster forecaster(FeatureSpec spec) {
        RecurrentConfig rc = new RecurrentConfig(CellKind.GRU, spec.featureCount(), 4, 1, false, true, 0);
        return new Forecaster(List.of(SequenceModel.create(new ModelConfig(rc, spec.stepsAhead(), 0), Init.PYTORCH, 3)), spec, false);
    }

    static LocalDateTime day(int d) {
        return START.plusDays(d).atStartOfDay();
    }

    @Test
    void theMeanOfTheErrorsObservedInTheWindowBeforeEachOrigin() {
        LocalDateTime[] times = {day(5), day(1), day(2), day(3), day(4)}; // any order
        double[] errors = {50, 10, 20, 30, 40};
        LocalDateTime[] origins = {day(0), day(1), day(3), day(4).plusHours(12), day(9)};
        int[] counts = new int[origins.length];
        double[] m = BiasCorrection.meanRecentError(times, errors, origins, Duration.ofDays(2), counts);
        // (t - 2 days, t]: none; day 1; days 2, 3; days 3, 4 (day 2 12:00 is the open end); none (day 7 and later).
        assertArrayEquals(new double[] {0, 10, 25, 35, 0}, m, 1e-12);
        assertArrayEquals(new int[] {0, 1, 2, 2, 0}, counts);
        assertThrows(IllegalArgumentException.class, () -> BiasCorrection.meanRecentError(times, errors, origins, Duration.ZERO, null));
    }

    @Test
    void aConstantBiasIsRemovedOnceItsErrorsAreKnown() {
        ForecastDataset d = data(table(0, 0));
        WindowSet all = d.train().concat("tv", d.validation()).concat("all", d.test());
        double[] actual = all.actual();
        double[] biased = new double[actual.length];
        for (int i = 0; i < actual.length; i++) biased[i] = actual[i] + 2.5; // no missing targets here
        double[] c = BiasCorrection.correct(all, biased, 10);
        int k = all.stepsAhead();
        for (int i = 0; i < all.size(); i++) {
            for (int q = 0; q < k; q++) {
                // The target of step q is observed (horizon + q) days after the origin: the first windows have no error yet.
                boolean known = i >= all.horizon() + q;
                assertEquals(known ? actual[i * k + q] : biased[i * k + q], c[i * k + q], 1e-9, "window " + i + " step " + q);
            }
        }
        assertArrayEquals(biased, BiasCorrection.correct(all, biased, 0), "0 days: no correction");
    }

    @Test
    void aCorrectedForecastDependsOnNothingAfterItsOrigin() {
        ForecastDataset base = data(table(Integer.MAX_VALUE, 0));
        WindowSet test = base.test();
        int i = test.size() / 2;
        LocalDateTime t = test.anchorTime(i);
        int tDay = (int) java.time.temporal.ChronoUnit.DAYS.between(START.atStartOfDay(), t);
        double here = corrected(base, i);
        // Every value after t changed: the forecasts made after t and the observations after t differ, this one does not.
        ForecastDataset later = data(table(tDay + 1, 7.0));
        assertNotEquals(BiasCorrection.correct(all(later), forecaster(later.spec()).predict(all(later)), 20)[index(later, i + 1)],
                BiasCorrection.correct(all(base), forecaster(base.spec()).predict(all(base)), 20)[index(base, i + 1)],
                "the change reaches the next forecast");
        assertEquals(here, corrected(later, i), 0, "a change after the origin must not reach the corrected forecast");
        // A change at or before t does (so the check above could fail): the errors observed up to t move.
        ForecastDataset earlier = data(table(tDay - 3, 7.0));
        assertNotEquals(here, corrected(earlier, i), "observations up to the origin do enter the correction");
    }

    private static WindowSet all(ForecastDataset d) {
        return d.train().concat("tv", d.validation()).concat("all", d.test());
    }

    private static int index(ForecastDataset d, int testWindow) {
        return (d.train().size() + d.validation().size() + testWindow) * d.test().stepsAhead();
    }

    /** Step 1 of test window i, corrected over 20 days, with the forecaster's predictions on this data. */
    private static double corrected(ForecastDataset d, int i) {
        WindowSet all = all(d);
        return BiasCorrection.correct(all, forecaster(d.spec()).predict(all), 20)[index(d, i)];
    }

    @Test
    void predictCorrectsFromTheFilesRecentRowsAsTheEvaluationDoes() throws Exception {
        CsvTable full = table(0, 0);
        ForecastDataset d = data(full);
        Forecaster f = forecaster(d.spec()).withBiasCorrection(12);
        Path file = dir.resolve("model.safetensors");
        f.save(file);
        Forecaster loaded = Forecaster.load(file);
        assertEquals(12, loaded.biasCorrectionDays(), "the window is kept in the model file");
        assertEquals(0, forecaster(d.spec()).biasCorrectionDays());

        // The file ends at the origin of a test window well inside the test part (its 12 days of errors too).
        WindowSet all = all(d);
        double[] evalCorrected = BiasCorrection.correct(all, f.predict(all), 12);
        int i = d.test().size() / 2;
        LocalDateTime t = d.test().anchorTime(i);
        int rows = (int) java.time.temporal.ChronoUnit.DAYS.between(START.atStartOfDay(), t) + 1;
        CsvTable prefix = Tables.prefix(full, rows);
        ForecastInput input = ForecastInput.latest(prefix, loaded.spec());
        assertEquals(t, input.lastTime());
        WindowSet recent = ForecastInput.recentWindows(prefix, loaded.spec(), 12);
        int[] counts = new int[2];
        double[] bias = BiasCorrection.latest(recent, loaded.predict(recent), t, 12, counts);
        assertArrayEquals(new int[] {12, 12}, counts, "one error a day for 12 days, each step");
        double[] y = loaded.predict(input.inputs());
        for (int q = 0; q < 2; q++) {
            assertEquals(evalCorrected[index(d, i) + q], y[q] - bias[q], 1e-4, "step " + q);
        }
        assertTrue(bias[0] != 0);
    }
}
