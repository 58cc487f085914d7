package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/**
 * The forecast trainer's options beyond plain Adam: the moving average of the weights ({@code ema}), the
 * learning-rate schedules, and the refit on training + validation windows — each checked against a
 * computation by hand.
 */
class ForecastTrainingOptionsTest {
    static ForecastDataset data;

    /** 200 noisy days of a seasonal temperature and a rain column; lookback 6 gives ~114 training windows. */
    @BeforeAll
    static void data() {
        Rng r = new Rng(23);
        data = ForecastDataset.from(Tables.daily(LocalDate.of(2020, 1, 1), 200, "temp,rain", i -> {
            double temp = 12 + 8 * Math.sin(2 * Math.PI * i / 40.0) + 2 * r.nextGaussian();
            return String.format(java.util.Locale.ROOT, "%.3f,%.3f", temp, Math.abs(r.nextGaussian()));
        }), ForecastOptions.forTarget("temp").withLookback(6).withSplit(0.6, 0.2));
    }

    static ForecastModelConfig config(double lr, int maxEpochs, int patience) {
        return new ForecastModelConfig(CellKind.GRU, 6, 1, 0, lr, 0, 16, maxEpochs, patience, 1.0, false, 1, 5);
    }

    @Test
    void emaIsTheWarmedUpAverageOfTheLiveWeightsAndIsWhatIsValidatedAndKept() throws Exception {
        ForecastModelConfig cfg = config(0.02, 2, 10).withEma(0.9);
        ForecastTrainer t = new ForecastTrainer(data, cfg);
        float[] want = t.liveWeights().clone();
        assertArrayEquals(want, t.averagedWeights(), "the average starts at the initial weights");
        double[] val = new double[1];
        float[] avgAtEpoch1 = new float[want.length];
        t.listener(new ForecastTrainer.Listener() {
            @Override
            public void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {
                if (epoch == 1) {
                    val[0] = valLoss;
                    System.arraycopy(t.averagedWeights(), 0, avgAtEpoch1, 0, want.length);
                }
            }
        });
        int n = t.batchesPerEpoch();
        for (int s = 1; s <= n; s++) {
            t.step();
            float[] w = t.liveWeights();
            double d = Math.min(0.9, (1.0 + s) / (10.0 + s));
            float a = (float) (1 - d);
            for (int i = 0; i < w.length; i++) want[i] += a * (w[i] - want[i]);
            if (s < n) assertArrayEquals(want, t.averagedWeights(), "average after step " + s);
        }
        assertArrayEquals(want, avgAtEpoch1, "average at the end of epoch 1");
        assertFalse(Arrays.equals(want, t.liveWeights()), "the live weights are not the average");
        assertEquals(ForecastTrainer.loss(data.validation(), withWeights(want), shapeOf(withWeights(want)), data.spec()), val[0],
                "the validation loss is that of the averaged weights");
        assertTrue(t.run(null));
        ForecastTrainer.Result r = t.result();
        float[] kept = r.forecaster().members().getFirst().parameters().values();
        if (r.bestEpoch()[0] == 1) assertArrayEquals(want, kept, "the kept network is the averaged weights of the best epoch");
        // Without ema there is no average and the kept weights are live ones.
        assertNull(new ForecastTrainer(data, config(0.02, 2, 10)).averagedWeights());
        assertThrows(IllegalArgumentException.class, () -> config(0.02, 2, 10).withEma(1.0));
    }

    @Test
    void plateauHalvesTheRateAfterEveryEpochWithoutImprovementAndRestoreGoesBackToTheBest() throws Exception {
        for (LrSchedule sched : List.of(LrSchedule.PLATEAU, LrSchedule.PLATEAU_RESTORE)) {
            // A high rate so some epochs do not improve.
            ForecastModelConfig cfg = config(0.2, 8, 8).withSchedule(sched);
            ForecastTrainer t = new ForecastTrainer(data, cfg);
            List<Boolean> improvedAt = new ArrayList<>();
            List<Double> lrAfter = new ArrayList<>();
            float[] best = t.liveWeights().clone();
            List<String> problems = new ArrayList<>();
            t.listener(new ForecastTrainer.Listener() {
                @Override
                public void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {
                    improvedAt.add(improved);
                    lrAfter.add(t.optimizer().learningRate());
                    if (improved) System.arraycopy(t.liveWeights(), 0, best, 0, best.length);
                    else if (sched == LrSchedule.PLATEAU_RESTORE && !Arrays.equals(best, t.liveWeights())) {
                        problems.add("epoch " + epoch + " did not go back to the best weights");
                    }
                }
            });
            assertTrue(t.run(null));
            assertTrue(improvedAt.contains(false), sched + ": some epoch must not improve at lr 0.2: " + improvedAt);
            double lr = 0.2;
            for (int e = 0; e < improvedAt.size(); e++) {
                if (!improvedAt.get(e)) lr *= 0.5;
                assertEquals(lr, lrAfter.get(e), 1e-15, sched + ": rate after epoch " + (e + 1) + " " + improvedAt);
            }
            assertEquals(List.of(), problems, sched.flag());
        }
    }

    @Test
    void cosineFollowsHalfACosineOverTheEpochs() throws Exception {
        ForecastModelConfig cfg = config(0.01, 3, 10).withSchedule(LrSchedule.COSINE);
        ForecastTrainer t = new ForecastTrainer(data, cfg);
        int n = t.batchesPerEpoch();
        for (int e = 0; e < 3; e++) {
            for (int b = 0; b < n; b++) {
                t.step();
                if (t.done()) break;
                double want = 0.01 * 0.5 * (1 + Math.cos(Math.PI * (e + b / (double) n) / 3));
                assertEquals(want, t.optimizer().learningRate(), 1e-12, "epoch " + e + " batch " + b);
            }
        }
        assertTrue(t.done());
        assertEquals(1.0, LrSchedule.cosine(0), 0);
        assertEquals(0.0, LrSchedule.cosine(1), 1e-16);
        assertEquals(LrSchedule.PLATEAU_RESTORE, LrSchedule.parse("plateau-restore"));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("step"));
    }

    /**
     * With refit the kept network is, bit for bit, a network with the same seed trained for the chosen epoch count
     * on the training and validation windows (taken from a plain run on those windows at the end of that epoch).
     */
    @Test
    void refitTrainsTheChosenEpochCountOnTrainingAndValidationWindows() throws Exception {
        for (ForecastModelConfig base : List.of(config(0.05, 6, 2), config(0.05, 6, 2).withEma(0.8).withSchedule(LrSchedule.PLATEAU))) {
            ForecastTrainer.Result plain = ForecastTrainer.train(data, base, null);
            int chosen = plain.bestEpoch()[0];
            ForecastTrainer t = new ForecastTrainer(data, base.withRefit(true));
            List<Integer> refitEpochs = new ArrayList<>();
            int[] refitBatches = {0};
            t.listener(new ForecastTrainer.Listener() {
                @Override
                public void refitEpochDone(int member, int epoch, int epochs, double trainLoss) {
                    refitEpochs.add(epoch);
                    assertEquals(chosen, epochs);
                    refitBatches[0] = t.batchesPerEpoch();
                }
            });
            assertTrue(t.run(null));
            ForecastTrainer.Result refit = t.result();
            assertEquals(plain.valLoss(), refit.valLoss(), "the choosing phase is the plain run");
            assertArrayEquals(plain.bestEpoch(), refit.bestEpoch());
            int both = data.train().size() + data.validation().size();
            assertEquals(both / 16, refitBatches[0], "refit batches cover training and validation windows");
            List<Integer> want = new ArrayList<>();
            for (int e = 1; e <= chosen; e++) want.add(e);
            assertEquals(want, refitEpochs);

            // The same by hand: train on train+validation with the plain run's rates epoch by epoch; stop after `chosen`.
            WindowSet joined = data.train().concat("joined", data.validation());
            assertEquals(both, joined.size());
            ForecastTrainer byHand = new ForecastTrainer(data.spec(), joined, data.validation(),
                    epochsOnly(base.withSchedule(LrSchedule.CONSTANT), chosen));
            float[] at = new float[t.result().forecaster().members().getFirst().parameters().values().length];
            List<Double> lrs = new ArrayList<>();
            // The plain run's rates per epoch: halved after each epoch that did not improve (plateau) or constant.
            double lr = base.lr();
            List<Double> v = plain.valLoss().getFirst();
            double bestSoFar = Double.POSITIVE_INFINITY;
            for (double x : v) {
                lrs.add(lr);
                if (x < bestSoFar - 1e-7) bestSoFar = x;
                else if (base.schedule() == LrSchedule.PLATEAU) lr *= 0.5;
            }
            byHand.listener(new ForecastTrainer.Listener() {
                @Override
                public void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {
                    if (epoch == chosen) {
                        float[] kept = base.ema() > 0 ? byHand.averagedWeights() : byHand.liveWeights();
                        System.arraycopy(kept, 0, at, 0, at.length);
                    } else {
                        byHand.optimizer().setLearningRate(lrs.get(epoch));
                    }
                }
            });
            assertTrue(byHand.run(null));
            float[] got = refit.forecaster().members().getFirst().parameters().values();
            assertArrayEquals(at, got, "refit weights with " + base);
            assertNotEquals(Arrays.toString(plain.forecaster().members().getFirst().parameters().values()), Arrays.toString(got));
        }
        assertThrows(IllegalArgumentException.class, () -> data.train().concat("x", ForecastDivergenceTest.windows("v",
                ForecastDivergenceTest.spec(), 10, 1)));
    }

    /**
     * With lossSteps the targets of step t of a window are the rows {@code horizon} after t; lossSteps 1 is the plain
     * last-step loss bit for bit, and more steps change the training.
     */
    @Test
    void lossStepsTrainEveryStepAgainstItsOwnTargets() throws Exception {
        WindowSet w = data.train();
        int s = 3, k = w.stepsAhead();
        int[] idx = {0, 5, w.size() - 1};
        float[] y = new float[idx.length * s * k], mask = new float[idx.length * s * k];
        w.copyStepTargets(idx, s, y, mask);
        float[] yLast = new float[idx.length * k], mLast = new float[idx.length * k];
        w.copyBatch(idx, new float[idx.length * w.lookback() * w.featureCount()], yLast, mLast);
        float[] targets = w.targets();
        for (int j = 0; j < idx.length; j++) {
            for (int t = 0; t < s; t++) {
                // Step t of the last s steps of window i ends where window i - (s - 1 - t) ends (consecutive anchors here).
                int other = idx[j] - (s - 1 - t);
                if (other >= 0 && w.anchorRow(other) == w.anchorRow(idx[j]) - (s - 1 - t)) {
                    assertEquals(targets[other * k], y[(j * s + t) * k], "window " + idx[j] + " step " + t);
                }
            }
            assertEquals(yLast[j * k], y[(j * s + s - 1) * k], "the last step's target is the plain one");
            assertEquals(mLast[j * k], mask[(j * s + s - 1) * k]);
        }
        assertThrows(IllegalArgumentException.class, () -> w.copyStepTargets(idx, w.lookback() + 1, y, mask));

        ForecastModelConfig base = config(0.02, 2, 10);
        float[] plain = ForecastTrainer.train(data, base, null).forecaster().members().getFirst().parameters().values();
        float[] one = ForecastTrainer.train(data, base.withLossSteps(1), null).forecaster().members().getFirst().parameters().values();
        float[] four = ForecastTrainer.train(data, base.withLossSteps(4), null).forecaster().members().getFirst().parameters().values();
        assertArrayEquals(plain, one);
        assertFalse(Arrays.equals(plain, four));
        assertThrows(IllegalArgumentException.class, () -> new ForecastTrainer(data, base.withLossSteps(7)));
    }

    /** Input noise changes the training, is the same for the same seed, and is off at 0. */
    @Test
    void inputNoiseIsSeededAndOffAtZero() throws Exception {
        ForecastModelConfig base = config(0.02, 2, 10);
        float[] plain = ForecastTrainer.train(data, base, null).forecaster().members().getFirst().parameters().values();
        float[] zero = ForecastTrainer.train(data, base.withInputNoise(0), null).forecaster().members().getFirst().parameters().values();
        float[] a = ForecastTrainer.train(data, base.withInputNoise(0.1), null).forecaster().members().getFirst().parameters().values();
        float[] b = ForecastTrainer.train(data, base.withInputNoise(0.1), null).forecaster().members().getFirst().parameters().values();
        assertArrayEquals(plain, zero);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(plain, a));
        assertThrows(IllegalArgumentException.class, () -> base.withInputNoise(-0.1));
    }

    /** {@code c} trained for exactly {@code epochs} epochs (no early stopping). */
    private static ForecastModelConfig epochsOnly(ForecastModelConfig c, int epochs) {
        return new ForecastModelConfig(c.cell(), c.hiddenSize(), c.layers(), c.dropout(), c.lr(), c.weightDecay(), c.batchSize(),
                epochs, 1000, c.clipNorm(), c.residual(), c.ensemble(), c.seed(), c.ema(), c.schedule(), c.refit(), c.lossSteps(), c.inputNoise(), c.linearBase());
    }

    private static SequenceModel withWeights(float[] w) {
        SequenceModel m = SequenceModel.create(new org.rnn4j.nn.ModelConfig(new org.rnn4j.nn.RecurrentConfig(CellKind.GRU,
                data.spec().featureCount(), 6, 1, false, true, 0), data.spec().stepsAhead(), 0), org.rnn4j.nn.Init.PYTORCH, 5);
        System.arraycopy(w, 0, m.parameters().values(), 0, w.length);
        return m;
    }

    private static Forecaster shapeOf(SequenceModel m) {
        return new Forecaster(List.of(m), data.spec(), false);
    }
}
