package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.CsvTable;
import org.rnn4j.tensor.Rng;

/** {@code --log-inputs}: which columns auto picks, the transformed and normalised values, the model file, predict. */
class ForecastLogInputsTest {

    /** temp (symmetric), rain (non-negative, heavy tail), wind (non-negative, mild), dew (negative values, heavy tail). */
    static CsvTable table() {
        Rng r = new Rng(11);
        return Tables.daily(LocalDate.of(2020, 1, 1), 200, "temp,rain,wind,dew", i -> {
            double g = r.nextGaussian();
            double rain = i % 5 == 0 ? Math.exp(2 * r.nextGaussian()) : 0;
            double dew = -1 + (i % 7 == 0 ? Math.exp(2 * r.nextGaussian()) : 0);
            return String.format(Locale.ROOT, "%.3f,%.4f,%.3f,%.4f", 10 + 5 * Math.sin(i / 20.0) + g, rain, 4 + Math.abs(r.nextGaussian()), dew);
        });
    }

    static ForecastDataset data(String log) {
        return ForecastDataset.from(table(), ForecastOptions.forTarget("temp").withLookback(4).withLogInputs(log));
    }

    static Feature feature(ForecastDataset d, String name) {
        return d.spec().features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void autoPicksNonNegativeHeavyTailedInputsOnlyAndReportsThem() {
        ForecastDataset d = data("auto");
        assertEquals(List.of("rain"), d.report().logColumns(), "not the target, not mild wind, not dew (negative)");
        assertTrue(feature(d, "rain").log1p());
        assertFalse(feature(d, "wind").log1p());
        assertFalse(feature(d, "temp").log1p());
        assertTrue(d.report().toText().contains("rain fed as log(1 + x)"), d.report().toText());
        assertEquals(List.of("rain"), d.report().toJson().get("log_inputs"));
        assertTrue(d.report().column("rain").detail().contains("skewness"));
        assertEquals(List.of(), data("none").report().logColumns());
        assertEquals(List.of(), ForecastDataset.from(table(), ForecastOptions.forTarget("temp").withLookback(4)).report().logColumns(),
                "off by default");
    }

    @Test
    void theNetworkReadsNormalisedLogOnePlusXWithTrainingStatisticsOfTheLogs() {
        ForecastDataset d = data("rain,wind");
        CsvTable t = table();
        int trainEnd = d.trainEnd();
        int rain = t.columnIndex("rain");
        double sum = 0, ss = 0;
        double[] logs = new double[trainEnd];
        for (int i = 0; i < trainEnd; i++) {
            logs[i] = Math.log1p(Double.parseDouble(t.value(i, rain)));
            sum += logs[i];
        }
        double mean = sum / trainEnd;
        for (double v : logs) ss += (v - mean) * (v - mean);
        Feature f = feature(d, "rain");
        assertEquals(mean, f.mean(), 1e-9);
        assertEquals(Math.sqrt(ss / trainEnd), f.std(), 1e-9);
        assertTrue(feature(d, "wind").log1p(), "named explicitly, even though mild");
        int fi = d.spec().featureNames().indexOf("rain");
        float[] x = d.train().inputs();
        int nf = d.spec().featureCount();
        for (int s = 0; s < 4; s++) { // window 0 reads rows 0..3
            assertEquals((float) ((logs[s] - f.mean()) / f.std()), x[s * nf + fi], 1e-6f, "row " + s);
        }
    }

    @Test
    void badNamesAreClearErrors() {
        assertTrue(assertThrows(ForecastDataException.class, () -> data("temp")).getMessage().contains("target"));
        assertTrue(assertThrows(ForecastDataException.class, () -> data("dew")).getMessage().contains("negative"));
        assertTrue(assertThrows(ForecastDataException.class, () -> data("snow")).getMessage().contains("not a numeric input"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTransformIsInTheSpecAndPredictAppliesIt() {
        ForecastDataset d = data("auto");
        FeatureSpec back = FeatureSpec.fromJson((Map<String, Object>) org.rnn4j.io.Json.parse(org.rnn4j.io.Json.write(d.spec().toJson())));
        assertEquals(d.spec(), back);
        assertTrue(feature(d, "rain").toJson().containsKey("transform"));
        assertFalse(feature(d, "wind").toJson().containsKey("transform"), "absent when off: older files read unchanged");
        // The latest window from the file equals the last test window's inputs shifted by the horizon.
        CsvTable t = table();
        ForecastInput in = ForecastInput.latest(Tables.prefix(t, t.rowCount() - 1), d.spec());
        WindowSet test = d.test();
        int nf = d.spec().featureCount(), l = 4;
        float[] x = test.inputs();
        float[] last = java.util.Arrays.copyOfRange(x, (test.size() - 1) * l * nf, test.size() * l * nf);
        assertArrayEquals(last, in.inputs(), 1e-6f);
    }
}
