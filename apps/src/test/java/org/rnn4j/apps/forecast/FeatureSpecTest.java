package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.CsvTable;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    /** What a JSON round trip does to a map: integral numbers become Long, others BigDecimal. */
    @SuppressWarnings("unchecked")
    private static Object throughJson(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, throughJson(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) out.add(throughJson(v));
            return out;
        }
        if (o instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? (Object) (long) d : new BigDecimal(Double.toString(d));
        }
        return o;
    }

    private static CsvTable weather(int days) {
        LocalDate start = LocalDate.of(2012, 1, 1);
        return Tables.daily(start, days, "temp,wind,sky", i -> String.format(java.util.Locale.ROOT, "%.1f,%s,%s",
                10 + 8 * Math.sin(i / 58.0) + (i % 5) * 0.3, i % 13 == 0 ? "NA" : String.valueOf(i % 7),
                i % 3 == 0 ? "sun" : "rain"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonRoundTrip() {
        ForecastDataset ds = ForecastDataset.from(weather(400), ForecastOptions.forTarget("temp").withLookback(9)
                .withHorizon(2).withStepsAhead(3));
        FeatureSpec spec = ds.spec();
        FeatureSpec back = FeatureSpec.fromJson((Map<String, Object>) throughJson(spec.toJson()));
        assertEquals(spec, back);
        assertEquals(List.of("temp", "wind", "sky=rain", "sky=sun", "day_of_year_sin", "day_of_year_cos"), back.featureNames());
        assertEquals("P1D", spec.toJson().get("step"));
        assertEquals(spec.windowSpan(), 9 + 2 + 3 - 1);
    }

    @Test
    void badJsonNamesTheKey() {
        Map<String, Object> json = new LinkedHashMap<>(
                ForecastDataset.from(weather(400), ForecastOptions.forTarget("temp").withLookback(9)).spec().toJson());
        json.remove("lookback");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson(json));
        assertTrue(e.getMessage().contains("missing key 'lookback'"), e.getMessage());
        json.put("lookback", "many");
        e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson(json));
        assertTrue(e.getMessage().contains("'lookback' must be a number"), e.getMessage());
        json.put("format", "something/else");
        e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson(json));
        assertTrue(e.getMessage().contains("expected format"), e.getMessage());
    }

    @Test
    void latestInputEqualsTheWindowBuiltInTraining() {
        CsvTable full = weather(400);
        ForecastDataset ds = ForecastDataset.from(full, ForecastOptions.forTarget("temp").withLookback(9).withHorizon(2));
        WindowSet test = ds.test();
        int i = test.size() / 2;
        int anchor = test.anchorRow(i);
        // The file as it was at the window's last input.
        ForecastInput in = ForecastInput.latest(Tables.prefix(full, anchor + 1), ds.spec());
        float[] expected = new float[9 * ds.spec().featureCount()];
        test.copyBatch(new int[] {i}, expected, null, null);
        assertArrayEquals(expected, in.inputs(), 1e-6f);
        assertEquals(test.anchorTime(i), in.lastTime());
        assertEquals(List.of(test.targetTime(i, 0)), in.targetTimes());
        assertEquals(List.of(1, 9, ds.spec().featureCount()), java.util.Arrays.stream(in.tensor().shape()).boxed().toList());
    }

    @Test
    void latestInputErrors() {
        ForecastDataset ds = ForecastDataset.from(weather(400), ForecastOptions.forTarget("temp").withLookback(9));
        FeatureSpec spec = ds.spec();
        CsvTable noWind = Tables.daily(LocalDate.of(2020, 1, 1), 30, "temp,sky", i -> i + ",sun");
        ForecastDataException e = assertThrows(ForecastDataException.class, () -> ForecastInput.latest(noWind, spec));
        assertTrue(e.getMessage().contains("the model needs column 'wind'"), e.getMessage());
        CsvTable shortFile = Tables.daily(LocalDate.of(2020, 1, 1), 5, "temp,wind,sky", i -> i + ",1,sun");
        e = assertThrows(ForecastDataException.class, () -> ForecastInput.latest(shortFile, spec));
        assertTrue(e.getMessage().contains("needs the last 9 rows (9 days)"), e.getMessage());
        CsvTable hourly = Tables.hourly(LocalDateTime.of(2020, 1, 1, 0, 0), 30, "temp,wind,sky", i -> i + ",1,sun");
        CsvTable renamed = Tables.csv(("date" + "\n").replace("\n", "") + hourlyBody(hourly));
        e = assertThrows(ForecastDataException.class, () -> ForecastInput.latest(renamed, spec));
        assertTrue(e.getMessage().contains("1 hour apart, but the model was trained on steps of 1 day"), e.getMessage());
    }

    private static String hourlyBody(CsvTable hourly) {
        StringBuilder sb = new StringBuilder(",temp,wind,sky\n");
        for (int r = 0; r < hourly.rowCount(); r++) {
            for (int c = 0; c < hourly.columnCount(); c++) {
                if (c > 0) sb.append(',');
                sb.append(hourly.value(r, c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
