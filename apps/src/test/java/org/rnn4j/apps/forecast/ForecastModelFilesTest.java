package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forecast model files written by earlier versions (test resources {@code fixtures/forecast/}, see the README
 * there) still load, with their settings, and forecast what they forecast then.
 */
class ForecastModelFilesTest {

    private static Path fixture(String folder) throws URISyntaxException {
        return Path.of(ForecastModelFilesTest.class.getResource("/fixtures/forecast/" + folder + "/model.safetensors").toURI());
    }

    private static void forecastsAsRecorded(Forecaster f, Path model, String logInputs) throws IOException {
        ForecastDataset ds = ForecastDataset.loadDefault(ForecastOptions.seattleDefault().withLogInputs(logInputs));
        double[] got = f.predict(ds.test());
        List<String> want = Files.readAllLines(model.resolveSibling("expected-test-forecasts.txt"));
        assertEquals(want.size(), got.length, "test forecasts");
        for (int i = 0; i < got.length; i++) {
            double w = Double.parseDouble(want.get(i));
            assertEquals(w, got[i], 1e-6 * (1 + Math.abs(w)), "test window " + i);
        }
    }

    @Test
    void aFileFromBeforeLinearBasesLoadsWithItsSettingsAndForecastsTheSame() throws Exception {
        Path model = fixture("v-daacc34");
        Forecaster f = Forecaster.load(model);
        assertNull(f.linearBase());
        assertTrue(f.residual());
        assertEquals(30, f.biasCorrectionDays());
        assertEquals(List.of("precipitation"), f.spec().features().stream().filter(Feature::log1p).map(Feature::column).toList());
        forecastsAsRecorded(f, model, "auto");
    }

    @Test
    void aFileWithALinearBaseLoadsItAndForecastsTheSame() throws Exception {
        Path model = fixture("linear-base");
        Forecaster f = Forecaster.load(model);
        assertNotNull(f.linearBase());
        assertEquals(f.spec().lookback() * f.spec().featureCount(), f.linearBase().dims());
        forecastsAsRecorded(f, model, "none");
    }
}
