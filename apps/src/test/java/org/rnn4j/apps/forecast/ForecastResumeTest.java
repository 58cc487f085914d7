package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.CheckpointException;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * A forecast training stopped after any step (through a {@link TrainingRun}'s stop request, as Ctrl-C does)
 * and continued from its checkpoint file in a fresh trainer ends with the same bits as a run never
 * interrupted: weights of every ensemble member, loss curves, best epochs, test forecasts and metrics.
 */
class ForecastResumeTest {
    static final Map<String, String> FINGERPRINT = Map.of("--seed", "3");
    static ForecastDataset data;

    /** 200 noisy days of a seasonal temperature and a rain column; lookback 6 gives ~114 training windows. */
    @BeforeAll
    static void data() {
        Rng r = new Rng(17);
        data = ForecastDataset.from(Tables.daily(LocalDate.of(2020, 1, 1), 200, "temp,rain", i -> {
            double temp = 12 + 8 * Math.sin(2 * Math.PI * i / 40.0) + 2 * r.nextGaussian();
            return String.format(java.util.Locale.ROOT, "%.3f,%.3f", temp, Math.abs(r.nextGaussian()));
        }), ForecastOptions.forTarget("temp").withLookback(6).withSplit(0.6, 0.2));
    }

    /**
     * Two stacked LSTM layers with dropout (so the generator matters), an ensemble of two (so a stop can fall
     * between networks), patience 1 with a high learning rate (so early stopping ends networks before --epochs).
     */
    static ForecastModelConfig config(int maxEpochs) {
        return config(maxEpochs, 1);
    }

    static ForecastModelConfig config(int maxEpochs, int patience) {
        return new ForecastModelConfig(CellKind.LSTM, 6, 2, 0.25, 0.05, 0, 16, maxEpochs, patience, 1.0, true, 2, 3);
    }

    /** Stop points mid-epoch, right after a validation, right after early stopping and between networks. */
    @Test
    void manyStopPointsResumeBitIdentically(@TempDir Path dir) throws Exception {
        stopAnywhereAndResume(dir, config(6), true);
    }

    /**
     * The same with the averaged weights, a plateau schedule that goes back to the best weights, and a refit after
     * each network's choosing phase (stops fall inside the refits too), and with a cosine schedule, input noise (drawn
     * from the checkpointed generator) and the loss on the last 3 steps.
     */
    @Test
    void emaSchedulesAndRefitResumeBitIdentically(@TempDir Path dir) throws Exception {
        stopAnywhereAndResume(dir.resolve("a"), config(6).withEma(0.9).withSchedule(LrSchedule.PLATEAU_RESTORE).withRefit(true), false);
        stopAnywhereAndResume(dir.resolve("b"), config(6).withSchedule(LrSchedule.COSINE).withRefit(true).withInputNoise(0.1).withLossSteps(3), false);
        // A checkpoint of a run with averaged weights does not continue a run without them, nor the reverse.
        ForecastTrainer withEma = new ForecastTrainer(data, config(6).withEma(0.9));
        withEma.step();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ForecastTrainer(data, config(6)).restore(withEma.snapshot()));
        assertTrue(e.getMessage().contains("checkpoint holds averaged weights, this run does not average weights"), e.getMessage());
    }

    private static void stopAnywhereAndResume(Path dir, ForecastModelConfig cfg, boolean expectEarlyStop) throws Exception {
        boolean[] refitSeen = {false};
        TreeSet<Long> epochEnds = new TreeSet<>(), memberEnds = new TreeSet<>();
        ForecastTrainer ref = new ForecastTrainer(data, cfg);
        ref.listener(new ForecastTrainer.Listener() {
            @Override
            public void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {
                epochEnds.add(ref.steps());
            }

            @Override
            public void memberDone(int member, int bestEpoch, double bestValLoss) {
                memberEnds.add(ref.steps());
            }

            @Override
            public void refitEpochDone(int member, int epoch, int epochs, double trainLoss) {
                refitSeen[0] = true;
            }
        });
        assertTrue(ref.run(null));
        assertEquals(cfg.refit(), refitSeen[0]);
        ForecastTrainer.Result reference = ref.result();
        long total = ref.steps();
        int perEpoch = new ForecastTrainer(data, cfg).batchesPerEpoch();
        assertTrue(perEpoch >= 3, "several batches per epoch, got " + perEpoch);
        assertTrue(!expectEarlyStop || reference.valLoss().stream().anyMatch(c -> c.size() < cfg.maxEpochs()),
                "early stopping ended a network before --epochs: " + reference.valLoss());
        assertEquals(total, memberEnds.last());

        // Every epoch end (after the validation; some also end a network by early stopping), the step after it
        // (the first of a freshly shuffled epoch), and every third step between (mid-epoch).
        TreeSet<Long> stops = new TreeSet<>();
        for (long s = 1; s < total; s += 3) stops.add(s);
        for (long e : epochEnds) {
            if (e < total) stops.add(e);
            if (e + 1 < total) stops.add(e + 1);
        }
        for (long stopAt : stops) {
            String where = "stopped after step " + stopAt + " of " + total + (epochEnds.contains(stopAt) ? " (an epoch end)" : "")
                    + (memberEnds.contains(stopAt) ? " (a network's end)" : "");
            Path ckDir = dir.resolve("stop" + stopAt);
            ForecastTrainer first = new ForecastTrainer(data, cfg);
            for (long s = 1; s < stopAt; s++) first.step();
            StopSignal stop = StopSignal.manual();
            stop.request(); // as Ctrl-C would: the next step finishes, writes a checkpoint and returns
            try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.DEFAULT, 3, false), FINGERPRINT,
                    null, stop)) {
                assertFalse(first.run(run), where);
                assertEquals(stopAt, first.steps(), where);
                assertTrue(run.lastCheckpoint().endsWith(Checkpointer.fileName(stopAt)), where);
            }
            // A fresh trainer continues from the file, as a new process would.
            ForecastTrainer second = new ForecastTrainer(data, cfg);
            try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.DEFAULT, 3, true), FINGERPRINT,
                    null, StopSignal.manual())) {
                second.restore(run.resumed());
                assertTrue(second.run(run), where);
                run.complete();
            }
            assertSameResult(reference, second.result(), where);
        }
        assertTrue(epochEnds.size() > memberEnds.size() && memberEnds.size() == 2, epochEnds + " / " + memberEnds);
    }

    /**
     * Stops right after a validation and right after a network ends, with checkpoints every 5 steps on the way:
     * two resumes end bit-identical; a fresh run into the folder is refused; a lowered --epochs is refused.
     */
    @Test
    void periodicCheckpointsAndTwoResumesAndARaisedEpochLimit(@TempDir Path dir) throws Exception {
        ForecastTrainer.Result reference = ForecastTrainer.train(data, config(6), null);
        Path ckDir = dir.resolve("ck");
        ForecastTrainer a = new ForecastTrainer(data, config(6));
        StopSignal stopA = StopSignal.manual();
        a.listener(new ForecastTrainer.Listener() {
            @Override
            public void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {
                if (member == 0 && epoch == 1) stopA.request();
            }
        });
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(5), 2, false), FINGERPRINT,
                null, stopA)) {
            assertFalse(a.run(run));
        }
        assertEquals(a.batchesPerEpoch(), a.steps(), "the stop came right after the validation of epoch 1");
        assertEquals(1, Checkpointer.read(ckDir.resolve(Checkpointer.fileName(a.steps()))).getLong("forecast.epoch"));
        // A fresh run into the folder is refused: the unfinished run is not overwritten.
        assertThrows(CheckpointException.class, () -> TrainingRun.open(
                new TrainingRun.Options(ckDir, CheckpointEvery.steps(5), 2, false), FINGERPRINT, null, StopSignal.manual()));

        ForecastTrainer b = new ForecastTrainer(data, config(6));
        StopSignal stopB = StopSignal.manual();
        b.listener(new ForecastTrainer.Listener() {
            @Override
            public void memberDone(int member, int bestEpoch, double bestValLoss) {
                stopB.request();
            }
        });
        var resume = new TrainingRun.Options(ckDir, CheckpointEvery.steps(5), 2, true);
        try (TrainingRun run = TrainingRun.open(resume, FINGERPRINT, null, stopB)) {
            b.restore(run.resumed());
            assertFalse(b.run(run));
            assertEquals(1, b.member(), "stopped right after the first network ended");
        }
        ForecastTrainer c = new ForecastTrainer(data, config(6));
        try (TrainingRun run = TrainingRun.open(resume, FINGERPRINT, null, StopSignal.manual())) {
            c.restore(run.resumed());
            assertTrue(c.run(run));
            run.complete();
        }
        assertSameResult(reference, c.result(), "after two stops");
        assertFalse(Files.exists(ckDir), "a completed run removes its checkpoints");
        assertTrue(c.trainingTime().compareTo(c.resumedTrainingTime()) >= 0 && !c.resumedTrainingTime().isZero(),
                "the training time of the interrupted processes is carried on");

        // --epochs lowered below the checkpoint's epoch is refused with the reason; raised is accepted.
        ForecastTrainer d = new ForecastTrainer(data, config(6, 10));
        for (int s = 0; s < 3 * d.batchesPerEpoch(); s++) d.step();
        Checkpoint ck = d.snapshot();
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> new ForecastTrainer(data, config(3, 10)).restore(ck));
        assertTrue(beyond.getMessage().contains("checkpoint is in epoch 4 of network 1, beyond --epochs 3"), beyond.getMessage());
        ForecastTrainer e = new ForecastTrainer(data, config(9, 10));
        e.restore(ck);
        assertTrue(e.run(null));
    }

    static void assertSameResult(ForecastTrainer.Result want, ForecastTrainer.Result got, String where) {
        List<SequenceModel> w = want.forecaster().members(), g = got.forecaster().members();
        assertEquals(w.size(), g.size(), where);
        for (int m = 0; m < w.size(); m++) {
            assertArrayEquals(w.get(m).parameters().values(), g.get(m).parameters().values(), where + ": weights of network " + m);
        }
        assertEquals(want.trainLoss(), got.trainLoss(), where + ": training loss curves");
        assertEquals(want.valLoss(), got.valLoss(), where + ": validation loss curves");
        assertArrayEquals(want.bestEpoch(), got.bestEpoch(), where + ": best epochs");
        double[] pw = want.forecaster().predict(data.test()), pg = got.forecaster().predict(data.test());
        assertArrayEquals(pw, pg, where + ": test forecasts");
        assertEquals(Evaluation.evaluate(data, pw).toJson(), Evaluation.evaluate(data, pg).toJson(), where + ": metrics");
    }
}
