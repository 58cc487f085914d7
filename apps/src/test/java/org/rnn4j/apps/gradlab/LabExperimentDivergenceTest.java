package org.rnn4j.apps.gradlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * The divergence guard in normal (compare) training: SGD at lr 1e20 makes the first update finite but so
 * large that every later loss overflows float32. Each such step is skipped (parameters untouched) with the
 * learning rate halved and one line naming the step; the 5th in a row stops that cell, reported as
 * diverged at that step, and the experiment goes on with the next cell. No checkpoint array and no
 * report value is NaN or infinite, and an interruption at a skipped step resumes bit for bit.
 */
class LabExperimentDivergenceTest {
    static final LabConfig CONFIG = new LabConfig(new AddingProblem(6), 4, 1, 4, "sgd", 1e20, 12, null, 3, 8, Init.PYTORCH, 0, 5);
    static final List<RunSpec> SPECS = List.of(RunSpec.of(CellKind.RNN_TANH, 0), RunSpec.of(CellKind.LSTM, 0));

    @Test
    void nonFiniteStepsAreSkippedWithTheLearningRateLoweredThenTheCellStopsAndTheNextRuns() {
        LabExperimentResumeTest.Outcome ref = LabExperimentResumeTest.uninterrupted(CONFIG, SPECS, true);
        assertEquals(8, ref.notes().size(), "4 skipped-step lines per cell (the 5th stops it): " + ref.notes());
        assertEquals("rnn-tanh step 2: loss is Infinity and gradient norm is NaN; skipped this update and lowered the learning rate"
                + " to 5.00000e+19 (1 of 5 allowed in a row)", ref.notes().get(0));
        assertTrue(ref.notes().get(3).contains("step 5:") && ref.notes().get(3).contains("to 6.25000e+18 (4 of 5"), ref.notes().get(3));
        assertEquals(2, ref.results().size(), "the experiment went on after the first cell diverged");
        for (RunResult r : ref.results()) {
            assertEquals(6, r.divergedAtStep(), r.spec().name());
            assertEquals(6, r.steps(), "the skipped steps count: their batches were drawn");
            assertEquals(5, r.skippedSteps());
            assertTrue(r.divergedReason().contains("at step 6, the 5th non-finite step in a row (since step 2)"), r.divergedReason());
            assertTrue(Double.isNaN(r.testLoss()));
            assertTrue(Double.isFinite(r.lastFiniteTestLoss()), "the weights are those of step 1, finite");
            assertTrue(Float.isFinite(r.trainLoss()[0]));
            for (int i = 1; i < 6; i++) assertTrue(Float.isNaN(r.trainLoss()[i]) && Float.isNaN(r.gradNorm()[i]), "skipped step " + (i + 1));
        }
        for (float[] w : ref.weights().values()) for (float v : w) assertTrue(Float.isFinite(v));
        String values = ref.report();
        for (RunResult r : ref.results()) values = values.replace(org.rnn4j.io.Json.write(r.divergedReason()), "\"\""); // the messages say "NaN"
        assertFalse(values.contains("NaN") || values.contains("Infinity"), values);
        assertTrue(ref.report().contains("\"skipped_steps\": 5"), ref.report());
    }

    @Test
    void everyCheckpointIsFiniteAndAStopAtASkippedStepResumesBitIdentically(@TempDir Path tmp) throws Exception {
        LabExperimentResumeTest.Outcome ref = LabExperimentResumeTest.uninterrupted(CONFIG, SPECS, true);
        // A checkpoint after every step, skipped ones included, kept: the writer refuses any non-finite array.
        Path dir = tmp.resolve("all");
        StopSignal stop = StopSignal.manual();
        LabExperiment a = new LabExperiment(CONFIG, SPECS, true, new LabExperimentResumeTest.Recorder(stop, 9));
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(dir, CheckpointEvery.steps(1), 100, false), LabExperimentResumeTest.FP,
                null, stop)) {
            assertFalse(a.run(run));
        }
        List<Path> files = new Checkpointer(dir, LabExperimentResumeTest.FP, 100).files();
        assertEquals(9, files.size());
        for (Path f : files) {
            Checkpoint ck = Checkpointer.read(f);
            for (String name : ck.arrayNames()) for (float v : ck.getArray(name)) assertTrue(Float.isFinite(v), f + " " + name);
        }
        for (long stopAt : new long[] {3, 6, 9}) { // skipped, the guard's stop, skipped in the second cell
            LabExperimentResumeTest.assertSame(ref,
                    LabExperimentResumeTest.interrupted(tmp.resolve("s" + stopAt), CONFIG, SPECS, true, stopAt), "stopped after step " + stopAt);
        }
    }
}
