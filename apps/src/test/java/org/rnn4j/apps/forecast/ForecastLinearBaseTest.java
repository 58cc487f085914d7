package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;

/**
 * {@code linearBase}: the networks learn the correction to a ridge regression's forecast. Checked against the
 * ridge model and the network computed separately, through a save and load, and by training on a target the
 * ridge model explains exactly.
 */
class ForecastLinearBaseTest {
    static ForecastDataset data;

    /**
     * v[t] = 2 a[t−2] − 3 b[t−3] + 5 + 0.3 sin(a[t−2] b[t−2]): linear in a lookback-3 window but for a small
     * non-linear term, for both of K = 2 steps ahead (whose bases differ).
     */
    @BeforeAll
    static void data() {
        int n = 700;
        Random r = new Random(11);
        double[] a = new double[n], b = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
            v[i] = i < 3 ? 0 : 2 * a[i - 2] - 3 * b[i - 3] + 5 + 0.3 * Math.sin(a[i - 2] * b[i - 2]);
        }
        data = ForecastDataset.from(Tables.daily(LocalDate.of(2015, 1, 1), n, "a,b,v", i -> a[i] + "," + b[i] + "," + v[i]),
                ForecastOptions.forTarget("v").withLookback(3).withStepsAhead(2));
    }

    private static SequenceModel network(long seed) {
        RecurrentConfig rc = new RecurrentConfig(CellKind.GRU, data.spec().featureCount(), 5, 1, false, true, 0);
        return SequenceModel.create(new ModelConfig(rc, data.spec().stepsAhead(), 0), Init.PYTORCH, seed);
    }

    @Test
    void forecastsAreTheRidgeForecastPlusTheNetworksOutput() {
        LinearBaseline lin = LinearBaseline.fit(data);
        SequenceModel net = network(4);
        Forecaster f = new Forecaster(List.of(net), data.spec(), false, 0, lin);
        WindowSet test = data.test();
        double[] got = f.predict(test);
        double[] ridge = lin.predictNormalised(test);
        int l = data.spec().lookback(), k = data.spec().stepsAhead(), lf = l * data.spec().featureCount();
        float[] x = new float[lf];
        for (int i = 0; i < test.size(); i++) {
            test.copyBatch(new int[] {i}, x, null, null);
            float[] y = net.newPass(1, l).forward(x, null, null, null, false, null);
            for (int q = 0; q < k; q++) {
                double want = data.spec().denormaliseTarget(ridge[i * k + q] + y[(l - 1) * k + q]);
                assertEquals(want, got[i * k + q], 1e-5 * Math.max(1, Math.abs(want)), "window " + i + " step " + q);
            }
            assertArrayEquals(new double[] {got[i * k], got[i * k + 1]}, f.predict(x), 1e-5, "one window at a time, window " + i);
        }
    }

    @Test
    void theLinearModelIsKeptInTheModelFileExactly(@TempDir Path dir) throws Exception {
        LinearBaseline lin = LinearBaseline.fit(data);
        Forecaster f = new Forecaster(List.of(network(4)), data.spec(), false, 0, lin);
        f.save(dir.resolve("model.safetensors"));
        Forecaster back = Forecaster.load(dir.resolve("model.safetensors"));
        assertArrayEquals(lin.weights(), back.linearBase().weights(), 0);
        assertEquals(lin.lambda(), back.linearBase().lambda(), 0);
        assertArrayEquals(f.predict(data.test()), back.predict(data.test()), 0);
        // Without a linear base, nothing is written and nothing comes back.
        new Forecaster(List.of(network(4)), data.spec(), false).save(dir.resolve("plain.safetensors"));
        assertEquals(null, Forecaster.load(dir.resolve("plain.safetensors")).linearBase());
    }

    @Test
    void trainingLearnsTheCorrectionNotTheValue() {
        // The ridge model explains all but the small sine term. A network that learns the correction starts near the
        // ridge forecast and stays there; if the base were added at prediction but not subtracted from the training
        // targets, every forecast would count the value twice.
        ForecastModelConfig cfg = new ForecastModelConfig(CellKind.GRU, 8, 1, 0, 0.003, 0, 16, 6, 6, 1.0, false, 1, 2).withLinearBase(true);
        Forecaster f = ForecastTrainer.train(data, cfg, null).forecaster();
        double[] actual = data.test().actual();
        double model = Metrics.of(f.predict(data.test()), actual).mae();
        double ridge = Metrics.of(LinearBaseline.fit(data).predict(data.test(), data.spec()), actual).mae();
        double plain = Metrics.of(ForecastTrainer.train(data, cfg.withLinearBase(false), null).forecaster().predict(data.test()), actual).mae();
        assertTrue(ridge < 0.3, "the ridge model explains the linear part, MAE " + ridge);
        assertTrue(model < ridge + 0.05, "model " + model + " vs ridge " + ridge);
        assertTrue(model < plain / 2, "a plain network after the same epochs: " + plain + ", on the ridge base: " + model);
        // The evaluation reuses the forecaster's ridge model as its linear baseline (the same fit as its own), and
        // scores whichever linear model it is given.
        double[] predicted = f.predict(data.test());
        assertEquals(Evaluation.evaluate(data, predicted).toJson(), Evaluation.evaluate(data, predicted, f.linearBase()).toJson());
        LinearBaseline other = new LinearBaseline(new double[f.linearBase().weights().length], f.linearBase().dims(), 2, 0);
        assertEquals(Metrics.of(other.predict(data.test(), data.spec()), actual).mae(),
                Evaluation.evaluate(data, predicted, other).linear().mae(), 0);
    }

    @Test
    void badCombinationsAndFilesAreRefused() {
        ForecastModelConfig c = new ForecastModelConfig(CellKind.GRU, 8, 1, 0, 0.003, 0, 16, 6, 6, 1.0, false, 1, 2).withLinearBase(true);
        assertThrows(IllegalArgumentException.class, () -> c.withLossSteps(2));
        assertThrows(IllegalArgumentException.class, () -> new ForecastModelConfig(CellKind.GRU, 8, 1, 0, 0.003, 0, 16, 6, 6, 1.0, true, 1, 2)
                .withLinearBase(true));
        LinearBaseline lin = LinearBaseline.fit(data);
        Map<String, Object> j = lin.toJson();
        assertArrayEquals(lin.weights(), LinearBaseline.fromJson(castMap(Json.parse(Json.write(j)))).weights(), 0);
        j.put("dims", 4.5);
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class, () -> LinearBaseline.fromJson(j));
        assertTrue(fraction.getMessage().contains("dims must be a whole number > 0, got 4.5"), fraction.getMessage());
        j.put("dims", (long) lin.dims());
        assertThrows(IllegalArgumentException.class, () -> new LinearBaseline(new double[5], 3, 2, 1), "(3 + 1) x 2 weights needed");
        j.put("weights", List.of(1.0, 2.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearBaseline.fromJson(j));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
        LinearBaseline wrongSize = new LinearBaseline(new double[4 * 2], 3, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> new Forecaster(List.of(network(1)), data.spec(), false, 0, wrongSize));
        assertThrows(IllegalArgumentException.class, () -> new Forecaster(List.of(network(1)), data.spec(), true, 0, lin));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
