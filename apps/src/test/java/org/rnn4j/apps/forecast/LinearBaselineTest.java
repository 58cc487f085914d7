package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.CsvTable;

/** The ridge-regression baseline against answers known by construction. */
class LinearBaselineTest {

    @Test
    void choleskySolveRecoversKnownWeights() {
        // G = AᵀA (A random 40 x 6), B = G W: with λ = 0 the solve must return W.
        Random r = new Random(3);
        int p = 6, k = 2, rows = 40;
        double[] a = new double[rows * p];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        double[] g = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                for (int n = 0; n < rows; n++) g[i * p + j] += a[n * p + i] * a[n * p + j];
            }
        }
        double[] w = new double[p * k];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
        double[] b = new double[p * k];
        for (int i = 0; i < p; i++) {
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < p; j++) b[i * k + c] += g[i * p + j] * w[j * k + c];
            }
        }
        double[] got = LinearBaseline.solve(g, b, p, k, 0);
        for (int i = 0; i < w.length; i++) assertEquals(w[i], got[i], 1e-9, "weight " + i);
    }

    @Test
    void aTargetThatIsALinearFunctionOfTheWindowIsForecastAlmostExactly() {
        // v[t+1] = 2 a[t] - 3 b[t-1] + 5: inside a lookback-3 window, so ridge with a tiny λ is exact;
        // persistence is far off because a and b are noise.
        LocalDate start = LocalDate.of(2015, 1, 1);
        int n = 900;
        Random r = new Random(7);
        double[] a = new double[n], b = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
            v[i] = i < 2 ? 0 : 2 * a[i - 1] - 3 * b[i - 2] + 5;
        }
        CsvTable t = Tables.daily(start, n, "a,b,v", i -> a[i] + "," + b[i] + "," + v[i]);
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(3));
        LinearBaseline lin = LinearBaseline.fit(ds);
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).persistence());
        assertNotNull(ev.linear());
        assertTrue(ev.linear().mae() < 0.01, "linear MAE " + ev.linear().mae());
        assertTrue(ev.persistence().mae() > 2, "persistence MAE " + ev.persistence().mae());
        assertTrue(lin.lambda() <= 1e-3 * ds.train().size(), "validation picks a small penalty, got " + lin.lambda());
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) ev.toJson().get("linear");
        assertEquals(ev.linear().mae(), (Double) j.get("mae"), 0);
        assertTrue(j.get("method").toString().startsWith("ridge regression on the 3 x "), j.toString());
        assertTrue(ev.toText().contains("linear (ridge)"), ev.toText());
    }

    @Test
    void aWindowTooLargeForTheNormalEquationsIsReportedNotFitted() {
        LocalDate start = LocalDate.of(2000, 1, 1);
        int n = 5600;
        CsvTable t = Tables.daily(start, n, "a,v", i -> (i % 7) + "," + Math.sin(i * 0.1));
        ForecastDataset ds = ForecastDataset.from(t, ForecastOptions.forTarget("v").withLookback(520));
        int d = ds.train().lookback() * ds.train().featureCount();
        assertTrue(d > LinearBaseline.MAX_INPUTS, "the test needs a large window, got " + d);
        Evaluation ev = Evaluation.evaluate(ds, Baselines.of(ds, ds.test()).persistence());
        assertEquals(null, ev.linear());
        assertTrue(ev.linearNote().contains("the linear baseline is fitted up to " + LinearBaseline.MAX_INPUTS), ev.linearNote());
        assertEquals(null, ev.toJson().get("linear"));
        assertTrue(ev.toText().contains("not fitted"), ev.toText());
    }
}
