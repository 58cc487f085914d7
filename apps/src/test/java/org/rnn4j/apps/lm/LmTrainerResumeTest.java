package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * {@link LmTrainer} stopped after any step through its {@link TrainingRun}'s stop signal and continued from the
 * checkpoint file in a fresh trainer ends bit-identical to a run never interrupted: weights, the best-model file,
 * and every number that goes into metrics.json. And the divergence guard: a NaN step is skipped with the LR
 * lowered and reported; five in a row stop training naming the step, with the last good checkpoint kept.
 */
class LmTrainerResumeTest {
    @TempDir
    Path dir;

    static final Corpus CORPUS = Corpus.fromText(text(), Level.CHAR, 100, 0.1);

    /**
     * A periodic training text and a validation text of the same characters in random order: the validation loss
     * soon stops improving, so the plateau schedule cuts the learning rate and bests become rare.
     */
    static String text() {
        String train = LmTrainerTest.periodic(810);
        StringBuilder sb = new StringBuilder(train);
        org.rnn4j.tensor.Rng r = new org.rnn4j.tensor.Rng(1);
        for (int i = 0; i < 90; i++) sb.append(train.charAt(r.nextInt(train.length())));
        return sb.toString();
    }

    /** Two layers with dropout between them, so the dropout generator matters. */
    static LanguageModel model(CellKind cell) {
        return LanguageModel.create(CORPUS.vocabulary(), cell, 6, 12, 2, 0.3, 5);
    }

    /**
     * 810 training chars in 4 streams of 202, batches of 16 steps: 13 batches per epoch, the last one 10 long.
     * Evaluations every 5 steps and at each epoch end; patience 0 so the plateau schedule cuts the LR.
     */
    static LmTrainConfig config(int epochs) {
        return new LmTrainConfig(16, 4, 2e-2, 1, epochs, null, 9, 5, 0.5, 0);
    }

    record Run(LmTrainResult result, float[] weights, float[] bestFile) {}

    Run reference(CellKind cell, Path best) throws IOException {
        LanguageModel lm = model(cell);
        LmTrainResult r = LmTrainer.train(lm, CORPUS, config(3), best, null);
        return new Run(r, lm.network().parameters().values().clone(), LanguageModel.load(best).network().parameters().values());
    }

    /** Trains until {@code stopAt} steps are done, stopped by the run's stop signal; returns the checkpoint written. */
    Path stopAt(CellKind cell, int stopAt, Path ckDir, Path best) throws IOException {
        StopSignal stop = StopSignal.manual();
        LmTrainer first = new LmTrainer(model(cell), CORPUS, config(3), best, new LmTrainer.Listener() {
            @Override
            public void step(long step, double epoch, double loss, double tokensPerSecond, double elapsedSeconds) {
                if (step == stopAt) stop.request();
            }
        });
        var options = new TrainingRun.Options(ckDir, CheckpointEvery.DEFAULT, 3, false);
        try (TrainingRun run = TrainingRun.open(options, Map.of("k", "v"), null, stop)) {
            assertFalse(first.run(run), "stopped on request at " + stopAt);
            assertEquals(stopAt, first.steps());
            return run.lastCheckpoint();
        }
    }

    static void assertSameResult(LmTrainResult want, LmTrainResult got, String where) {
        assertEquals(want.bestValLoss(), got.bestValLoss(), where + ": best val loss");
        assertEquals(want.bestStep(), got.bestStep(), where + ": best step");
        assertEquals(want.trainLoss(), got.trainLoss(), where + ": train loss");
        assertEquals(want.epochs(), got.epochs(), where + ": epochs");
        assertEquals(want.steps(), got.steps(), where + ": steps");
        assertEquals(want.stopReason(), got.stopReason(), where + ": stop reason");
        assertEquals(want.finalLr(), got.finalLr(), where + ": final lr");
        assertEquals(withoutTime(want.history()), withoutTime(got.history()), where + ": evaluation history");
    }

    /** The history as metrics.json has it, minus the wall-clock times (which no two runs share). */
    static List<LmTrainResult.EvalPoint> withoutTime(List<LmTrainResult.EvalPoint> h) {
        return h.stream().map(p -> new LmTrainResult.EvalPoint(p.step(), p.epoch(), 0, p.trainLoss(), p.valLoss(), p.lr(), p.best()))
                .toList();
    }

    @Test
    void everyStopPointResumesBitIdentically() throws Exception {
        for (CellKind cell : List.of(CellKind.LSTM, CellKind.GRU)) {
            Run ref = reference(cell, dir.resolve(cell + "-ref.safetensors"));
            List<LmTrainResult.EvalPoint> h = ref.result().history();
            // The sweep must cover stops right after evaluations that set a best, that cut the LR, and mid-epoch.
            assertTrue(h.stream().filter(LmTrainResult.EvalPoint::best).count() >= 2, "bests: " + h);
            assertTrue(ref.result().finalLr() < config(3).lr(), "the plateau schedule cut the LR: " + h);
            Set<Long> evalSteps = new TreeSet<>();
            h.forEach(p -> evalSteps.add(p.step()));
            int total = (int) ref.result().steps();
            assertEquals(39, total);
            List<Integer> points = new ArrayList<>();
            for (int s = 1; s < total; s++) {
                // every point for the LSTM (h and c carried); for the GRU every evaluation and some others
                if (cell == CellKind.LSTM || evalSteps.contains((long) s) || s % 8 == 1) points.add(s);
            }
            for (int stopAt : points) {
                String where = cell + " stopped after step " + stopAt;
                // The best-model file is checked where it matters most (it costs an fsync per best): at evaluations.
                Path best = evalSteps.contains((long) stopAt) ? dir.resolve(cell + "-" + stopAt + ".safetensors") : null;
                Path file = stopAt(cell, stopAt, dir.resolve(cell + "-ck" + stopAt), best);
                assertTrue(file.getFileName().toString().equals(Checkpointer.fileName(stopAt)), file.toString());
                // A fresh trainer, from the file, as after a kill.
                LanguageModel lm = model(cell);
                LmTrainer resumed = new LmTrainer(lm, CORPUS, config(3), best, null);
                resumed.restore(Checkpointer.read(file));
                assertTrue(resumed.run(null), where);
                LmTrainResult r = resumed.result();
                assertArrayEquals(ref.weights(), lm.network().parameters().values(), where + ": final (best) weights");
                assertSameResult(ref.result(), r, where);
                if (best != null) {
                    assertArrayEquals(ref.bestFile(), LanguageModel.load(best).network().parameters().values(), where + ": best-model file");
                    assertEquals(r.bestStep(), ((Number) LanguageModel.load(best).training().get("step")).longValue(), where);
                }
            }
        }
    }

    @Test
    void moreEpochsOnResumeContinueTheSameTrajectoryAndElapsedTimeCarriesOver() throws Exception {
        // A 2-epoch run stopped at its very last step, resumed with --epochs 3, equals the 3-epoch run.
        Run ref = reference(CellKind.LSTM, dir.resolve("ref.safetensors"));
        StopSignal stop = StopSignal.manual();
        Path best = dir.resolve("b.safetensors");
        LmTrainer first = new LmTrainer(model(CellKind.LSTM), CORPUS, config(2), best, new LmTrainer.Listener() {
            @Override
            public void step(long step, double epoch, double loss, double tps, double elapsed) {
                if (step == 26) stop.request();
            }
        });
        Path file;
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir.resolve("ck"), CheckpointEvery.DEFAULT, 3, false),
                Map.of(), null, stop)) {
            assertTrue(first.run(run), "the stop came with the last step: the run is complete");
            file = run.lastCheckpoint();
        }
        Checkpoint ck = Checkpointer.read(file);
        double before = ck.getLong("lm.elapsedNanos") / 1e9;
        LanguageModel lm = model(CellKind.LSTM);
        LmTrainer more = new LmTrainer(lm, CORPUS, config(3), best, null);
        more.restore(ck);
        assertTrue(more.run(null));
        LmTrainResult r = more.result();
        assertArrayEquals(ref.weights(), lm.network().parameters().values());
        assertSameResult(ref.result(), r, "2 epochs + 1");
        assertTrue(r.elapsedSeconds() >= before, "elapsed " + r.elapsedSeconds() + " includes the first run's " + before);
        // Fewer epochs than the checkpoint has done is refused, naming the problem.
        LmTrainer fewer = new LmTrainer(model(CellKind.LSTM), CORPUS, config(1), null, null);
        var e = assertThrows(IllegalArgumentException.class, () -> fewer.restore(ck));
        assertTrue(e.getMessage().contains("beyond --epochs 1"), e.getMessage());
    }

    @Test
    void aResumedRunSpendsOnlyTheRestOfItsTimeBudget() throws Exception {
        LmTrainConfig budget = config(1000).withTimeBudget(Duration.ofSeconds(60));
        StopSignal stop = StopSignal.manual();
        LmTrainer first = new LmTrainer(model(CellKind.GRU), CORPUS, budget, null, new LmTrainer.Listener() {
            @Override
            public void step(long step, double epoch, double loss, double tps, double elapsed) {
                if (step == 3) stop.request();
            }
        });
        Path file;
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir.resolve("tb"), CheckpointEvery.DEFAULT, 3, false),
                Map.of(), null, stop)) {
            assertFalse(first.run(run));
            file = run.lastCheckpoint();
        }
        // Pretend the interrupted run had already used 59.9 of its 60 seconds.
        Checkpoint ck = Checkpointer.read(file).putLong("lm.elapsedNanos", 59_900_000_000L);
        LmTrainer resumed = new LmTrainer(model(CellKind.GRU), CORPUS, budget, null, null);
        resumed.restore(ck);
        long t0 = System.nanoTime();
        assertTrue(resumed.run(null));
        LmTrainResult r = resumed.result();
        assertEquals("time budget", r.stopReason());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "stopped within the remaining 0.1 s budget (and a last evaluation)");
        assertTrue(r.elapsedSeconds() >= 59.9, "elapsed counts the first run: " + r.elapsedSeconds());
        assertEquals(r.steps(), r.history().getLast().step(), "a last evaluation at the stop");
    }

    @Test
    void aNanStepIsSkippedWithTheLrLoweredAndReportedAndTrainingRecovers() throws Exception {
        LanguageModel lm = model(CellKind.LSTM);
        float[] values = lm.network().parameters().values();
        int bias = lm.network().parameters().get("head.bias").offset();
        List<String> notes = new ArrayList<>();
        float[][] atStep = new float[6][];
        LmTrainConfig cfg = config(2).withEvalEvery(0); // evaluations only at epoch ends (steps 13, 26)
        Path best = dir.resolve("best.safetensors");
        LmTrainer t = new LmTrainer(lm, CORPUS, cfg, best, new LmTrainer.Listener() {
            float saved;

            @Override
            public void step(long step, double epoch, double loss, double tps, double elapsed) {
                if (step < 6) atStep[(int) step] = values.clone();
                if (step == 4 || step == 5) assertTrue(Double.isNaN(loss), "loss of step " + step + ": " + loss);
                if (step == 3) {
                    saved = values[bias];
                    values[bias] = Float.NaN; // poison: the next forward passes give NaN logits and loss
                } else if (step == 5) {
                    values[bias] = saved;
                }
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        });
        assertTrue(t.run(null));
        LmTrainResult r = t.result();
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("step 4: loss is NaN") && notes.get(0).contains("skipped this update and lowered the"
                + " learning rate to 0.0100000"), notes.get(0));
        assertTrue(notes.get(1).startsWith("step 5: loss is NaN") && notes.get(1).contains("to 0.00500000 (2 of 5 allowed in a row)"),
                notes.get(1));
        // The skipped steps left every parameter as it was (the poisoned bias included).
        atStep[3][bias] = Float.NaN;
        assertArrayEquals(atStep[3], atStep[4], "step 4 skipped");
        assertArrayEquals(atStep[3], atStep[5], "step 5 skipped");
        assertEquals(2, t.guard().skipped());
        assertEquals(0.25, t.guard().lrScale());
        assertEquals(26 - 2, t.optimizer().steps(), "Adam took no step for the skipped ones");
        assertTrue(Double.isFinite(r.bestValLoss()) && r.bestValLoss() < Math.log(CORPUS.vocabulary().size()), "still learns: " + r);
        assertAllFinite(lm.network().parameters().values(), "final weights");
        assertAllFinite(LanguageModel.load(best).network().parameters().values(), best.toString());
    }

    @Test
    void fiveNanStepsInARowStopTrainingNamingTheStepAndTheLastGoodCheckpointIsKept() throws Exception {
        LanguageModel lm = model(CellKind.LSTM);
        float[] values = lm.network().parameters().values();
        int bias = lm.network().parameters().get("head.bias").offset();
        Path best = dir.resolve("best.safetensors");
        Path ckDir = dir.resolve("ck");
        // Checkpoints every 10 steps; the poison comes after step 11 (an evaluation at step 10 saved a best).
        LmTrainer t = new LmTrainer(lm, CORPUS, config(3), best, new LmTrainer.Listener() {
            @Override
            public void step(long step, double epoch, double loss, double tps, double elapsed) {
                if (step == 11) values[bias] = Float.POSITIVE_INFINITY;
            }
        });
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(10), 3, false), Map.of(),
                null, StopSignal.manual())) {
            DivergenceException e = assertThrows(DivergenceException.class, () -> t.run(run));
            assertEquals(16, e.step());
            assertTrue(e.getMessage().contains("at step 16, the 5th non-finite step in a row (since step 12)"), e.getMessage());
            assertTrue(run.lastCheckpointNote().contains(Checkpointer.fileName(10)), run.lastCheckpointNote());
        }
        // Nothing non-finite in any file written: the checkpoints kept and the best model.
        List<Path> kept = new Checkpointer(ckDir, Map.of(), 3).files();
        assertEquals(List.of(ckDir.resolve(Checkpointer.fileName(10))), kept);
        Checkpoint ck = Checkpointer.read(kept.getFirst());
        for (String name : ck.arrayNames()) assertAllFinite(ck.getArray(name), kept.getFirst() + " " + name);
        assertTrue(Files.exists(best));
        assertAllFinite(LanguageModel.load(best).network().parameters().values(), best.toString());
    }

    static void assertAllFinite(float[] a, String what) {
        for (int i = 0; i < a.length; i++) assertTrue(Float.isFinite(a[i]), what + "[" + i + "] = " + a[i]);
    }
}
