package org.rnn4j.apps.gradlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * A gradlab experiment stopped after any step — mid-run, right after an evaluation, right after the
 * early stop ({@code stopAt}), at the last step of one cell or the first of the next, before and after a
 * divergence — and continued from its checkpoint file in a fresh experiment ends with the final weights of
 * every cell and the whole report (minus wall-clock seconds) bit-identical to an uninterrupted run.
 */
class LabExperimentResumeTest {
    static final Map<String, String> FP = Map.of("k", "v");

    /** Three cells, 7 steps each, evaluations every 3 steps (so at 3, 6 and a final one at 7). */
    static LabConfig compare(double stopAt) {
        return new LabConfig(new AddingProblem(6), 4, 1, 4, "adam", 1e-2, 7, null, 3, 8, Init.PYTORCH, stopAt, 5);
    }

    static List<RunSpec> compareSpecs() {
        return List.of(RunSpec.of(CellKind.RNN_TANH, 0), RunSpec.of(CellKind.LSTM, 1.0), new RunSpec("gru", CellKind.GRU, 0, 0.5, 0));
    }

    /** The --explode setting: a tanh RNN with spectral radius 3 under SGD at lr 200 diverges at step 7 unclipped. */
    static LabConfig explode() {
        return new LabConfig(new AddingProblem(10), 16, 1, 8, "sgd", 200, 12, null, 4, 8, Init.PYTORCH, 0, 3);
    }

    static List<RunSpec> explodeSpecs() {
        return List.of(new RunSpec("rnn-tanh", CellKind.RNN_TANH, 0, 0, 3), new RunSpec("rnn-tanh+clip-norm", CellKind.RNN_TANH, 0.01, 0, 3),
                new RunSpec("rnn-tanh+clip-value", CellKind.RNN_TANH, 0, 0.001, 3));
    }

    /** Collects the final weights of each run finished in this process, and stops after global step {@code stopAfter}. */
    static final class Recorder implements LabExperiment.Listener {
        final Map<String, float[]> weights = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        final StopSignal stop;
        final long stopAfter;
        long steps;

        Recorder(StopSignal stop, long stopAfter) {
            this.stop = stop;
            this.stopAfter = stopAfter;
        }

        @Override
        public void onStep(long step, double loss, double gradNorm, double elapsedSeconds) {
            if (++steps == stopAfter) stop.request();
        }

        @Override
        public void onRunEnd(RunResult result, SequenceModel model) {
            weights.put(result.spec().name(), model.parameters().values().clone());
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }
    }

    /** The report as scripts read it, without the wall-clock seconds (which no two runs share). */
    @SuppressWarnings("unchecked")
    static String report(LabConfig c, List<RunResult> runs) {
        Map<String, Object> r = (Map<String, Object>) Json.parse(Json.write(LabReport.build("compare", c, runs, null)));
        for (Object cell : ((Map<String, Object>) r.get("cells")).values()) ((Map<String, Object>) cell).remove("seconds");
        return Json.writePretty(r);
    }

    record Outcome(Map<String, float[]> weights, String report, List<RunResult> results, List<String> notes) {}

    static Outcome uninterrupted(LabConfig c, List<RunSpec> specs, boolean guarded) {
        Recorder rec = new Recorder(StopSignal.manual(), -1);
        List<RunResult> results = new LabExperiment(c, specs, guarded, rec).runAll();
        return new Outcome(rec.weights, report(c, results), results, rec.notes);
    }

    /** Stops after {@code stopAfter} steps through a TrainingRun, then resumes from the checkpoint file in a fresh experiment. */
    static Outcome interrupted(Path dir, LabConfig c, List<RunSpec> specs, boolean guarded, long stopAfter) throws Exception {
        StopSignal stop = StopSignal.manual();
        Recorder first = new Recorder(stop, stopAfter);
        LabExperiment a = new LabExperiment(c, specs, guarded, first);
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir, CheckpointEvery.steps(1000), 2, false), FP, null, stop)) {
            assertFalse(a.run(run), "stopped on request after step " + stopAfter);
            assertEquals(stopAfter, a.globalStep());
            assertTrue(run.lastCheckpoint().endsWith(Checkpointer.fileName(stopAfter)), run.lastCheckpoint().toString());
        }
        Recorder second = new Recorder(StopSignal.manual(), -1);
        LabExperiment b = new LabExperiment(c, specs, guarded, second);
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir, CheckpointEvery.steps(1000), 2, true), FP, null,
                StopSignal.manual())) {
            b.restore(run.resumed()); // read back from the file, as after a kill
            assertTrue(b.run(run));
            run.complete();
        }
        assertFalse(Files.exists(dir), "a completed experiment removes its checkpoints");
        Map<String, float[]> weights = new LinkedHashMap<>(first.weights);
        weights.putAll(second.weights);
        List<String> notes = new ArrayList<>(first.notes);
        notes.addAll(second.notes);
        return new Outcome(weights, report(c, b.results()), b.results(), notes);
    }

    static void assertSame(Outcome ref, Outcome got, String where) {
        assertEquals(ref.weights().keySet(), got.weights().keySet(), where);
        for (String name : ref.weights().keySet()) assertArrayEquals(ref.weights().get(name), got.weights().get(name), where + ": weights of " + name);
        assertEquals(ref.report(), got.report(), where + ": report");
        for (int i = 0; i < ref.results().size(); i++) {
            // bit for bit, NaN entries of skipped steps included (the report rounds nothing but turns NaN into null)
            assertArrayEquals(ref.results().get(i).trainLoss(), got.results().get(i).trainLoss(), where);
            assertArrayEquals(ref.results().get(i).gradNorm(), got.results().get(i).gradNorm(), where);
        }
        assertEquals(ref.notes(), got.notes(), where + ": divergence-guard lines");
    }

    @Test
    void everyStopPointOfACompareExperimentResumesBitIdentically(@TempDir Path tmp) throws Exception {
        LabConfig c = compare(0);
        Outcome ref = uninterrupted(c, compareSpecs(), true);
        assertEquals(List.of(7L, 7L, 7L), ref.results().stream().map(RunResult::steps).toList());
        for (long stop = 1; stop <= 21; stop++) {
            assertSame(ref, interrupted(tmp.resolve("c" + stop), c, compareSpecs(), true, stop), "stopped after global step " + stop);
        }
    }

    @Test
    void stoppingRightAfterTheEarlyStopResumesWithoutTrainingOn(@TempDir Path tmp) throws Exception {
        // stopAt 10 is above any adding-problem loss: every cell stops at its first evaluation, step 3
        LabConfig c = compare(10);
        Outcome ref = uninterrupted(c, compareSpecs(), true);
        assertEquals(List.of(3L, 3L, 3L), ref.results().stream().map(RunResult::steps).toList());
        for (long stop = 1; stop <= 9; stop++) {
            assertSame(ref, interrupted(tmp.resolve("s" + stop), c, compareSpecs(), true, stop), "stopped after global step " + stop);
        }
    }

    @Test
    void theExplodeDemonstrationResumesBitIdenticallyAndStillReportsItsDivergenceStep(@TempDir Path tmp) throws Exception {
        LabConfig c = explode();
        Outcome ref = uninterrupted(c, explodeSpecs(), false);
        RunResult plain = ref.results().get(0);
        assertTrue(plain.diverged(), "the unclipped run diverges");
        assertEquals(7, plain.divergedAtStep());
        assertEquals(plain.steps() + 1, plain.divergedAtStep(), "stopped at the first inf/NaN, not cured by a guard");
        assertTrue(plain.divergedReason().startsWith("loss is "), plain.divergedReason());
        assertEquals(0, plain.skippedSteps());
        assertEquals(List.of(), ref.notes());
        long total = 0;
        for (RunResult r : ref.results()) total += r.steps();
        assertEquals(plain.steps() + 24, total, "the clipped runs train their 12 steps each");
        for (long stop = 1; stop <= total; stop++) {
            assertSame(ref, interrupted(tmp.resolve("e" + stop), c, explodeSpecs(), false, stop), "stopped after global step " + stop);
        }
    }

    @Test
    void aResumedTimeBudgetSpendsOnlyWhatIsLeftOfIt(@TempDir Path tmp) throws Exception {
        LabConfig c = new LabConfig(new AddingProblem(6), 4, 1, 4, "adam", 1e-2, 0, Duration.ofSeconds(30), 3, 8, Init.PYTORCH, 0, 5);
        List<RunSpec> specs = List.of(RunSpec.of(CellKind.LSTM, 0), RunSpec.of(CellKind.GRU, 0));
        Path dir = tmp.resolve("t");
        StopSignal stop = StopSignal.manual();
        LabExperiment a = new LabExperiment(c, specs, true, new Recorder(stop, 4));
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir, CheckpointEvery.steps(1000), 2, false), FP, null, stop)) {
            assertFalse(a.run(run));
        }
        Checkpoint ck = Checkpointer.read(new Checkpointer(dir, FP, 2).files().getLast());
        long spent = ck.getLong("active.elapsedNanos");
        assertTrue(spent > 0 && spent < Duration.ofSeconds(30).toNanos(), "elapsed training time is stored: " + spent);
        // As if 29.9 of the 30 s had been used before the interruption: the resumed cell has 0.1 s left.
        ck.putLong("active.elapsedNanos", Duration.ofMillis(29_900).toNanos());
        StopSignal stopAtGru = StopSignal.manual();
        long[] lstmEnded = {0};
        LabExperiment b = new LabExperiment(c, specs, true, new LabExperiment.Listener() {
            @Override
            public void onRunEnd(RunResult result, SequenceModel model) {
                lstmEnded[0] = System.nanoTime();
            }

            @Override
            public void onRunStart(RunSpec spec, long stepsDone) {
                if (spec.cell() == CellKind.GRU) stopAtGru.request(); // the next cell's full 30 s are not needed here
            }
        });
        b.restore(ck);
        long t0 = System.nanoTime();
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir, CheckpointEvery.steps(1000), 2, true), FP, null, stopAtGru)) {
            assertFalse(b.run(run));
        }
        List<RunResult> results = b.results();
        assertEquals(1, results.size());
        assertTrue(lstmEnded[0] - t0 < Duration.ofSeconds(10).toNanos(), "the resumed cell used only the rest of its budget");
        assertTrue(results.get(0).seconds() >= 29.9, "its time includes the time spent before: " + results.get(0).seconds());
        assertTrue(results.get(0).steps() >= 4);
    }
}
