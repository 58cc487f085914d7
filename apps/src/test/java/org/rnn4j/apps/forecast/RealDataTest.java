package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preprocessing and baselines on the real weather files, against the figures in issue 4. */
class RealDataTest {

    private static double persistenceMae(ForecastDataset ds) {
        Baselines b = Baselines.of(ds, ds.test());
        return Metrics.of(b.persistence(), ds.test().actual()).mae();
    }

    @Test
    void seattleTomorrowsTempMax() throws IOException {
        Path file = SharedData.require("weather/seattle-weather.csv");
        ForecastDataset ds = ForecastDataset.load(file, ForecastOptions.seattleDefault());
        System.out.print(ds.report().toText());
        PreprocessingReport r = ds.report();
        assertEquals(1461, r.rowsRead());
        assertEquals(1461, r.rows());
        assertEquals("column 'date'", r.time());
        assertEquals("1 day", r.step());
        assertEquals(0, r.gaps());
        assertEquals(0, r.duplicates());
        assertEquals(List.of("precipitation", "temp_max", "temp_min", "wind", "weather=drizzle", "weather=fog",
                "weather=rain", "weather=snow", "weather=sun", "day_of_year_sin", "day_of_year_cos"), r.features());
        assertEquals(292, r.part("test").rows());
        double mae = persistenceMae(ds);
        System.out.printf("seattle persistence MAE %.4f over %d test windows%n", mae, ds.test().size());
        assertTrue(mae > 2.2 && mae < 2.5, "persistence MAE " + mae);
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).climatology());
        System.out.print(ev.toText());
        assertNotNull(ev.seasonalPersistence(), "a year of history precedes the test part");
    }

    @Test
    void embeddedDefaultIsTheSameFile() throws IOException {
        ForecastDataset ds = ForecastDataset.loadDefault(ForecastOptions.seattleDefault());
        assertEquals(1461, ds.report().rowsRead());
        assertEquals("temp_max", ds.target());
        assertEquals(3, ds.spec().lookback(), "daily default lookback: 2 + horizon");
        double mae = persistenceMae(ds);
        assertTrue(mae > 2.2 && mae < 2.5, "persistence MAE " + mae);
    }

    @Test
    void beijingTemp24HoursAhead() throws IOException {
        Path file = SharedData.require("weather/beijing_pm25_prsa_2010_2014.csv");
        ForecastDataset ds = ForecastDataset.load(file, ForecastOptions.forTarget("TEMP").withLookback(48).withHorizon(24));
        System.out.print(ds.report().toText());
        PreprocessingReport r = ds.report();
        assertEquals(43824, r.rowsRead());
        assertEquals("columns year, month, day, hour", r.time());
        assertEquals("1 hour", r.step());
        assertEquals(0, r.gaps(), "no gaps in Beijing");
        assertEquals(0, r.duplicates());
        assertEquals(2067, r.column("pm2.5").fill().missing());
        assertEquals("excluded", r.column("No").role());
        assertEquals("one-hot", r.column("cbwd").role());
        assertEquals("NE, NW, SE, cv", r.column("cbwd").detail());
        assertTrue(r.features().containsAll(List.of("cbwd=NE", "cbwd=NW", "cbwd=SE", "cbwd=cv", "hour_of_day_sin",
                "hour_of_day_cos", "day_of_year_sin", "day_of_year_cos")), r.features().toString());
        for (String c : List.of("No", "year", "month", "day", "hour")) {
            assertTrue(!r.features().contains(c), c + " must not be a feature");
        }
        double mae = persistenceMae(ds);
        System.out.printf("beijing persistence MAE %.4f over %d test windows%n", mae, ds.test().size());
        assertTrue(mae > 2.55 && mae < 2.85, "persistence MAE " + mae);
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).climatology());
        System.out.print(ev.toText());
    }
}
