package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.rnn4j.data.CsvTable;
import org.junit.jupiter.api.Test;

/** Baselines on tiny hand-made series whose answers are known. */
class BaselinesTest {

    /** Day of year on a 366-day calendar, 0-based: the value of the series below. */
    private static int doy(LocalDate d) {
        return LocalDate.of(2000, d.getMonthValue(), d.getDayOfMonth()).getDayOfYear() - 1;
    }

    @Test
    void dailySeriesThatRepeatsEveryYear() {
        // v depends only on the calendar day: seasonal persistence is exact, climatology is exact away
        // from the turn of the year, persistence is off by exactly 1 (yesterday's day number).
        LocalDate start = LocalDate.of(2012, 1, 1);
        int n = 1096; // 2012-01-01 .. 2014-12-31
        CsvTable t = Tables.daily(start, n, "v", i -> String.valueOf(doy(start.plusDays(i))));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(7));
        WindowSet test = ds.test();
        assertEquals(LocalDate.of(2014, 5, 27), test.anchorTime(0).toLocalDate().minusDays(6),
                "the test part, the last 219 rows, starts 2014-05-27");
        Baselines b = Baselines.of(ds, test);
        double[] actual = test.actual();
        for (int i = 0; i < test.size(); i++) {
            assertEquals(doy(test.anchorTime(i).toLocalDate()), b.persistence()[i], 0, "persistence = value at the last input");
            assertEquals(actual[i], b.seasonalPersistence()[i], 0, "a year ago had the same value");
            LocalDate target = test.targetTime(i, 0).toLocalDate();
            if (target.isBefore(LocalDate.of(2014, 12, 20))) {
                assertEquals(doy(target), b.climatology()[i], 1e-9, "climatology at " + target);
            }
        }
        assertEquals("1 year", b.season());
        Evaluation ev = Evaluation.evaluate(ds, b.persistence());
        assertEquals(1.0, ev.persistence().mae(), 1e-12);
        assertEquals(1.0, ev.persistence().rmse(), 1e-12);
        assertEquals(0.0, ev.seasonalPersistence().mae(), 0);
        assertEquals(0.0, ev.skillVsPersistence(), 1e-12);
        assertEquals(test.size(), ev.testRows());
    }

    @Test
    void seasonalPersistenceNeverLooksPastTheLastInput() {
        // Hourly v = row index. Forecasting 30 hours ahead: one day before the target is still in the
        // future (6 hours after the last input), so the baseline goes back two days: target - 48 h.
        int n = 24 * 30;
        CsvTable t = Tables.hourly(LocalDateTime.of(2021, 3, 1, 0, 0), n, "v", String::valueOf);
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(4).withHorizon(30));
        WindowSet test = ds.test();
        Baselines b = Baselines.of(ds, test);
        assertEquals("1 day", b.season());
        for (int i = 0; i < test.size(); i++) {
            int anchor = test.anchorRow(i);
            assertEquals(anchor + 30 - 48, b.seasonalPersistence()[i], 0);
            assertEquals(anchor, b.persistence()[i], 0);
        }
    }

    @Test
    void seasonalPersistenceIsAbsentWithoutAYearOfHistory() {
        LocalDate start = LocalDate.of(2012, 1, 1);
        CsvTable t = Tables.daily(start, 300, "v", i -> String.valueOf(i % 11));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        Baselines b = Baselines.of(ds, ds.test());
        assertNull(b.seasonalPersistence());
        assertTrue(b.seasonalNote().startsWith("needs 1 year of history"), b.seasonalNote());
        Evaluation ev = Evaluation.evaluate(ds, b.persistence());
        assertNull(ev.seasonalPersistence());
        assertTrue(ev.toJson().containsKey("seasonal_persistence"));
        assertNull(ev.toJson().get("seasonal_persistence"));
        assertTrue(ev.toText().contains("n/a"), ev.toText());
    }

    @Test
    void weeklySeasonalPersistenceUsesTheNearestRowAYearBack() {
        LocalDate start = LocalDate.of(2010, 1, 4);
        CsvTable t = Tables.csv(daysText(start, 7, 400));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(4));
        assertEquals("1 week", ds.report().step());
        Baselines b = Baselines.of(ds, ds.test());
        assertNotNull(b.seasonalPersistence(), b.seasonalNote());
        for (int i = 0; i < ds.test().size(); i++) {
            assertEquals(ds.test().targetRow(i, 0) - 52, b.seasonalPersistence()[i], 0, "52 weeks = 364 days back");
        }
    }

    /** Rows every {@code stepDays} days with v = row index. */
    private static String daysText(LocalDate start, int stepDays, int n) {
        StringBuilder sb = new StringBuilder("date,v\n");
        for (int i = 0; i < n; i++) sb.append(start.plusDays((long) i * stepDays)).append(',').append(i).append('\n');
        return sb.toString();
    }

    @Test
    void persistenceUsesTheLastObservedValue() {
        // The last input of some test windows is missing; persistence uses the value before it, not
        // the interpolated one.
        LocalDate start = LocalDate.of(2012, 1, 1);
        CsvTable t = Tables.daily(start, 100, "v", i -> i == 90 ? "NA" : String.valueOf(i * i));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        WindowSet test = ds.test();
        Baselines b = Baselines.of(ds, test);
        boolean seen = false;
        for (int i = 0; i < test.size(); i++) {
            int a = test.anchorRow(i);
            double expected = a == 90 ? 89 * 89 : (double) a * a;
            assertEquals(expected, b.persistence()[i], 0);
            seen |= a == 90;
        }
        assertTrue(seen);
    }

    @Test
    void hourlyClimatologyUsesDayOfYearAndHour() {
        // Two years of hourly data where v = hour of day (+100 in January, +0.5 on odd days of the month):
        // the climatology for a test target is about its hour + 0.25, whatever the year.
        LocalDateTime start = LocalDateTime.of(2019, 1, 1, 0, 0);
        int n = 24 * 730;
        CsvTable t = Tables.hourly(start, n, "v", i -> {
            LocalDateTime time = start.plusHours(i);
            return String.valueOf(time.getHour() + (time.getMonthValue() == 1 ? 100 : 0) + (time.getDayOfMonth() % 2) * 0.5);
        });
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(6).withHorizon(24));
        WindowSet test = ds.test();
        Baselines b = Baselines.of(ds, test);
        assertEquals("training mean for the day of year ±7 days and hour of day", b.climatologyNote());
        for (int i = 0; i < test.size(); i += 97) {
            LocalDateTime target = test.targetTime(i, 0);
            if (target.getMonthValue() < 2 || target.getMonthValue() > 11) continue; // the window mixes months
            // Day parity adds 0.5 on odd days; ±7 days holds 15 days, 7 or 8 of them odd: near +0.25.
            assertEquals(target.getHour() + 0.25, b.climatology()[i], 0.02, "at " + target);
        }
    }

    @Test
    void metricsAndSkill() {
        Metrics m = Metrics.of(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 5});
        assertEquals(1.0, m.mae(), 1e-12);
        assertEquals(Math.sqrt(2), m.rmse(), 1e-12);
        assertEquals(2, m.count());
        assertEquals(10.0, Evaluation.skill(1.8, 2.0), 1e-9);
        assertEquals(Map.of("mae", 1.0, "rmse", Math.sqrt(2)), m.toJson());
    }

    @Test
    void evaluationJsonHasTheIssueKeys() {
        CsvTable t = Tables.daily(LocalDate.of(2012, 1, 1), 900, "v", i -> String.valueOf(Math.sin(i / 10.0)));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(5).withStepsAhead(2));
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).climatology());
        Map<String, Object> json = ev.toJson();
        for (String key : new String[] {"model", "persistence", "seasonal_persistence", "climatology",
            "skill_vs_persistence", "test_rows", "target", "horizon", "model_by_step"}) {
            assertTrue(json.containsKey(key), key);
        }
        assertNotNull(json.get("seasonal_persistence"));
        assertEquals("v", json.get("target"));
        assertEquals(1, json.get("horizon"));
        assertEquals(2, ev.modelByStep().size());
    }
}
