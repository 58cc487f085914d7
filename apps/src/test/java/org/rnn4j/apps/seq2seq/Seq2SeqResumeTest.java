package org.rnn4j.apps.seq2seq;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * A {@link Seq2SeqTrainer} stopped after any step — mid-epoch, right after a validation, after a plateau
 * halved the learning rate, at the early stop itself — and continued from its checkpoint file in a fresh
 * trainer ends with bit-identical weights, validation history and outcome; a run that dies without a
 * stop request continues from its last periodic checkpoint; a resumed run spends only the rest of its
 * time budget; a diverging run skips, lowers the learning rate, stops naming the step, and saves no NaN.
 */
class Seq2SeqResumeTest {
    static final Map<String, String> FP = Map.of("test", "seq2seq");

    /** Reverse a word over 5 letters into 4 "phonemes"; 27 pairs in batches of 4: the last batch is short. */
    static List<Example> trainSet() {
        Rng r = new Rng(17);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            int n = 1 + r.nextInt(4);
            int[] src = new int[n], tgt = new int[n];
            for (int j = 0; j < n; j++) src[j] = 4 + r.nextInt(5);
            for (int j = 0; j < n; j++) tgt[j] = 4 + (src[n - 1 - j] - 4) % 4;
            out.add(new Example(src, tgt, i + 1));
        }
        return out;
    }

    /** Targets unrelated to the sources: the validation loss soon rises, so plateaus and the early stop happen. */
    static List<Example> valSet() {
        Rng r = new Rng(23);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] src = new int[1 + r.nextInt(4)], tgt = new int[1 + r.nextInt(4)];
            for (int j = 0; j < src.length; j++) src[j] = 4 + r.nextInt(5);
            for (int j = 0; j < tgt.length; j++) tgt[j] = 4 + r.nextInt(4);
            out.add(new Example(src, tgt, i + 1));
        }
        return out;
    }

    record Setup(String name, Seq2SeqConfig config, List<Example> val, Seq2SeqTrainer.Options options) {
        Seq2SeqModel model() {
            return Seq2SeqModel.create(config, Tiny.vocab(5), Tiny.vocab(4), Tokenization.CHARS, Tokenization.CHARS, 5);
        }

        Seq2SeqTrainer trainer(Seq2SeqModel m) {
            return new Seq2SeqTrainer(m, trainSet(), val, options);
        }
    }

    /** LSTM with dropout, validation twice per epoch with decoding, patience 3: ends in an early stop. */
    static final Setup EARLY_STOP = new Setup("lstm/general/val",
            new Seq2SeqConfig(CellKind.LSTM, 6, 8, 1, Attention.Score.GENERAL, 0.25), valSet(),
            new Seq2SeqTrainer.Options(4, 12, null, 9, 0.03, 1.0, 3, 2, 4));
    /** Two-layer GRU with dropout between layers, no validation data (the last parameters are kept). */
    static final Setup NO_VAL = new Setup("gru/additive/2 layers/no val",
            new Seq2SeqConfig(CellKind.GRU, 6, 8, 2, Attention.Score.ADDITIVE, 0.3), List.of(),
            new Seq2SeqTrainer.Options(4, 3, null, 4, 0.01, 0.5, 2, 3, 0));

    /** The history without the wall-clock seconds, which no two runs share. */
    static List<Map<String, Object>> comparable(List<Seq2SeqTrainer.Validation> history) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Seq2SeqTrainer.Validation v : history) {
            Map<String, Object> m = v.toJson();
            m.remove("seconds");
            out.add(m);
        }
        return out;
    }

    static void assertSameResult(Seq2SeqModel refModel, Seq2SeqTrainer.Outcome ref, Seq2SeqModel model, Seq2SeqTrainer.Outcome got,
                                 String where) {
        assertArrayEquals(refModel.parameters().values(), model.parameters().values(), where + ": final weights");
        assertEquals(comparable(ref.history()), comparable(got.history()), where + ": validation history");
        assertEquals(ref.steps(), got.steps(), where);
        assertEquals(ref.epochsDone(), got.epochsDone(), where);
        assertEquals(ref.stopReason(), got.stopReason(), where);
        assertEquals(ref.best() == null ? null : ref.best().step(), got.best() == null ? null : got.best().step(), where);
    }

    @Test
    void everyStopPointResumesBitIdenticallyThroughTheCheckpointFile(@TempDir Path dir) throws Exception {
        for (Setup s : List.of(EARLY_STOP, NO_VAL)) {
            Seq2SeqModel refModel = s.model();
            Seq2SeqTrainer.Outcome ref = Seq2SeqTrainer.train(refModel, trainSet(), s.val(), s.options(), null);
            long total = ref.steps();
            if (s == EARLY_STOP) {
                // The stop points below then include validations, plateaus (learning rate halved) and the early stop.
                assertTrue(ref.stopReason().startsWith("early stop"), ref.stopReason());
                assertTrue(ref.history().stream().anyMatch(v -> !v.best()), "no plateau in " + ref.history());
            } else {
                assertEquals(21, total, "3 epochs of 7 batches");
            }
            for (long stopAt = 1; stopAt <= total; stopAt++) {
                String where = s.name() + ", stopped after step " + stopAt + " of " + total;
                Path ckDir = dir.resolve(s.name().replace('/', '_') + "-" + stopAt);
                StopSignal stop = StopSignal.manual();
                long at = stopAt;
                Seq2SeqTrainer first = s.trainer(s.model()).listener(new Seq2SeqTrainer.Listener() {
                    @Override
                    public void batch(int epoch, long stepInEpoch, long stepsPerEpoch, double loss, double tokensPerSecond) {
                        if (--remaining == 0) stop.request();
                    }

                    long remaining = at;
                });
                try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1000), 2, false), FP,
                        null, stop)) {
                    // At the last step (the early stop) the run is over, yet the checkpoint is still written.
                    assertEquals(stopAt == total, first.run(run), where);
                    assertEquals(stopAt, first.steps(), where);
                    assertTrue(run.lastCheckpoint().endsWith(Checkpointer.fileName(stopAt)), where);
                }
                Seq2SeqModel model = s.model();
                Seq2SeqTrainer second = s.trainer(model);
                try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1000), 2, true), FP,
                        null, StopSignal.manual())) {
                    second.restore(run.resumed());
                    assertTrue(second.run(run), where);
                    assertSameResult(refModel, ref, model, second.finish(), where);
                    run.complete();
                }
                assertFalse(Files.exists(ckDir), where + ": a completed run removes its checkpoints");
            }
        }
    }

    @Test
    void aRunThatDiesWithoutWarningContinuesFromItsLastPeriodicCheckpoint(@TempDir Path dir) throws Exception {
        Setup s = EARLY_STOP;
        Seq2SeqModel refModel = s.model();
        Seq2SeqTrainer.Outcome ref = Seq2SeqTrainer.train(refModel, trainSet(), s.val(), s.options(), null);
        Path ckDir = dir.resolve("ck");
        var options = new TrainingRun.Options(ckDir, CheckpointEvery.steps(4), 2, false);
        // "Killed" during step 11: no stop request, no checkpoint of its own; checkpoints of steps 4 and 8 exist.
        Seq2SeqTrainer doomed = s.trainer(s.model()).listener(new Seq2SeqTrainer.Listener() {
            @Override
            public void batch(int epoch, long stepInEpoch, long stepsPerEpoch, double loss, double tokensPerSecond) {
                if (epoch == 2 && stepInEpoch == 4) throw new IllegalStateException("killed");
            }
        });
        try (TrainingRun run = TrainingRun.open(options, FP, null, StopSignal.manual())) {
            assertEquals("killed", assertThrows(IllegalStateException.class, () -> doomed.run(run)).getMessage());
        }
        Seq2SeqModel model = s.model();
        Seq2SeqTrainer resumed = s.trainer(model);
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(4), 2, true), FP, null,
                StopSignal.manual())) {
            assertTrue(run.resumedFrom().endsWith(Checkpointer.fileName(8)), run.resumedFrom().toString());
            resumed.restore(run.resumed());
            assertTrue(resumed.run(run));
            run.complete();
        }
        assertSameResult(refModel, ref, model, resumed.finish(), "resumed at step 8 after a crash in step 11");
    }

    @Test
    void aResumedRunSpendsOnlyTheRestOfItsTimeBudget() throws Exception {
        Seq2SeqTrainer.Options budget = new Seq2SeqTrainer.Options(4, 12, Duration.ofHours(1), 9, 0.03, 1.0, 3, 2, 0);
        Seq2SeqTrainer first = new Seq2SeqTrainer(EARLY_STOP.model(), trainSet(), EARLY_STOP.val(), budget);
        first.step();
        first.step();
        Checkpoint ck = first.snapshot();
        assertTrue(ck.getLong("seq2seq.elapsedNanos") > 0);
        // As if the first session had trained for 61 minutes.
        ck.putLong("seq2seq.elapsedNanos", Duration.ofMinutes(61).toNanos());
        Seq2SeqTrainer second = new Seq2SeqTrainer(EARLY_STOP.model(), trainSet(), EARLY_STOP.val(), budget);
        second.restore(ck);
        assertFalse(second.done());
        second.step();
        assertTrue(second.done(), "the budget was already spent: the first step after resuming ends the run");
        Seq2SeqTrainer.Outcome o = second.finish();
        assertEquals("time budget PT1H used up", o.stopReason());
        assertEquals(3, o.steps());
        assertTrue(o.seconds() >= 61 * 60, "elapsed time carries over: " + o.seconds());
        assertEquals(3, o.history().getLast().step(), "a last validation at the stop");
    }

    @Test
    void checkpointOfAnotherSetupIsRefused() throws Exception {
        Seq2SeqTrainer first = EARLY_STOP.trainer(EARLY_STOP.model());
        first.step();
        Checkpoint ck = first.snapshot();
        Seq2SeqTrainer.Options otherBatch = new Seq2SeqTrainer.Options(5, 12, null, 9, 0.03, 1.0, 3, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Seq2SeqTrainer(EARLY_STOP.model(), trainSet(), EARLY_STOP.val(), otherBatch).restore(ck));
        assertTrue(e.getMessage().contains("in batches of 4, this run has 27 and 8 in batches of 5"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> NO_VAL.trainer(NO_VAL.model()).restore(ck));
        assertTrue(m.getMessage().contains("8 validation pairs"), m.getMessage());
    }

    /** The lines the guard reports, and the model's best saves checked for finiteness. */
    static final class Watch implements Seq2SeqTrainer.Listener {
        final List<String> notes = new ArrayList<>();
        final Path best;

        Watch(Path best) {
            this.best = best;
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }

        @Override
        public void improved(Seq2SeqModel m, Seq2SeqTrainer.Validation c) throws IOException {
            m.save(best);
        }
    }

    static void assertAllFinite(Path ckDir, Path best, Seq2SeqModel model) throws IOException {
        for (float v : model.parameters().values()) assertTrue(Float.isFinite(v), "a skipped update left a parameter non-finite");
        try (var list = Files.list(ckDir)) {
            for (Path f : list.filter(f -> f.getFileName().toString().startsWith("ckpt-")).toList()) {
                Checkpoint ck = Checkpointer.read(f);
                for (String name : ck.arrayNames()) for (float v : ck.getArray(name)) assertTrue(Float.isFinite(v), f + " " + name);
            }
        }
        if (Files.exists(best)) {
            for (float v : Seq2SeqModel.load(best).parameters().values()) assertTrue(Float.isFinite(v), best.toString());
        }
    }

    @Test
    void divergenceSkipsLowersTheRateStopsNamingTheStepAndSavesNoNan(@TempDir Path dir) throws Exception {
        // Adam's first steps move every weight by ~3e37; soon the logits overflow into NaN, and stay there.
        Seq2SeqTrainer.Options absurd = new Seq2SeqTrainer.Options(4, 3, null, 9, 3e37, 1.0, 3, 2, 0);
        Seq2SeqModel model = EARLY_STOP.model();
        Watch watch = new Watch(dir.resolve("best.safetensors"));
        Seq2SeqTrainer t = new Seq2SeqTrainer(model, trainSet(), EARLY_STOP.val(), absurd).listener(watch);
        Path ckDir = dir.resolve("ck");
        DivergenceException e;
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1), 20, false), FP, null,
                StopSignal.manual())) {
            e = assertThrows(DivergenceException.class, () -> t.run(run));
        }
        assertEquals(4, watch.notes.size(), String.join("\n", watch.notes));
        double lr = t.optimizer().learningRate() * 16;
        for (int i = 0; i < 4; i++) {
            lr *= 0.5;
            assertTrue(watch.notes.get(i).startsWith("step " + (e.step() - 4 + i) + ": loss is NaN")
                    && watch.notes.get(i).contains("skipped this update and lowered the learning rate to " + String.format("%.5e", lr)),
                    watch.notes.get(i));
        }
        assertTrue(e.getMessage().contains("at step " + e.step() + ", the 5th non-finite step in a row (since step " + (e.step() - 4) + ")"),
                e.getMessage());
        assertEquals(e.step(), t.steps(), "the run ended in the step that gave up");
        assertAllFinite(ckDir, watch.best, model);
    }

    @Test
    void aFewNonFiniteStepsAreSkippedTrainingGoesOnAndResumesBitIdenticallyMidStreak(@TempDir Path dir) throws Exception {
        // At 1e37 the logits overflow at a few steps only: those are skipped, the learning rate halves, training goes on.
        Seq2SeqTrainer.Options wild = new Seq2SeqTrainer.Options(4, 2, null, 9, 1e37, 1.0, 3, 1, 0);
        Seq2SeqModel refModel = EARLY_STOP.model();
        Watch watch = new Watch(dir.resolve("best.safetensors"));
        Seq2SeqTrainer ref = new Seq2SeqTrainer(refModel, trainSet(), EARLY_STOP.val(), wild).listener(watch);
        Path ckDir = dir.resolve("ck");
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1), 20, false), FP, null,
                StopSignal.manual())) {
            assertTrue(ref.run(run));
            assertAllFinite(ckDir, watch.best, refModel);
        }
        Seq2SeqTrainer.Outcome refOutcome = ref.finish();
        long skipped = ref.guard().skipped();
        assertTrue(skipped >= 1 && skipped < 5, "expected a short run of skipped steps, got " + watch.notes);
        assertEquals(skipped, watch.notes.size());
        assertEquals(Math.pow(0.5, skipped), ref.guard().lrScale());
        long firstSkipped = Long.parseLong(watch.notes.getFirst().replaceAll("^step (\\d+):.*", "$1"));
        assertTrue(firstSkipped < refOutcome.steps(), "training went on after the skipped steps");

        // Stopped right after the first skipped step (the guard's streak is open), resumed from the file.
        Path file = ckDir.resolve(Checkpointer.fileName(firstSkipped));
        Seq2SeqModel model = EARLY_STOP.model();
        Seq2SeqTrainer resumed = new Seq2SeqTrainer(model, trainSet(), EARLY_STOP.val(), wild);
        resumed.restore(Checkpointer.read(file));
        assertEquals(1, resumed.guard().consecutive());
        assertTrue(resumed.run(null));
        assertSameResult(refModel, refOutcome, model, resumed.finish(), "resumed after the skipped step " + firstSkipped);
        assertEquals(skipped, resumed.guard().skipped());
    }
}
