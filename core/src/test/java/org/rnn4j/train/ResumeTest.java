package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

/** Stopping a FitLoop after any step and continuing from its checkpoint gives bit-identical weights. */
class ResumeTest {
    static final int ROWS = 11, TIME = 5, IN = 3, OUT = 2;

    static SequenceModel model() {
        // Two layers with dropout between them, so the dropout generator matters.
        return SequenceModel.create(new ModelConfig(new RecurrentConfig(CellKind.LSTM, IN, 6, 2, true, true, 0.3), OUT, 0),
                Init.PYTORCH, 7);
    }

    static FitLoop.Data data(boolean classes) {
        Rng r = new Rng(3);
        float[] x = new float[ROWS * TIME * IN];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        if (classes) {
            int[] c = new int[ROWS * TIME];
            for (int i = 0; i < c.length; i++) c[i] = i % 7 == 0 ? -100 : r.nextInt(OUT);
            return new FitLoop.Data(x, ROWS, TIME, IN, null, c, null);
        }
        float[] y = new float[ROWS * TIME * OUT];
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        return new FitLoop.Data(x, ROWS, TIME, IN, y, null, null);
    }

    static FitConfig config(String optimizer, String loss) {
        // 11 rows in batches of 4: the last batch of each epoch is short.
        return new FitConfig(loss, optimizer, 0.01, optimizer.equals("sgd") ? 0.9 : 0, 0, 3, 4, 1.0, 0, 42, true);
    }

    @Test
    void everyStopPointResumesBitIdentically(@TempDir Path dir) throws Exception {
        for (String optimizer : List.of("adam", "sgd", "rmsprop")) {
            for (String loss : List.of("mse", "cross-entropy")) {
                FitConfig cfg = config(optimizer, loss);
                FitLoop.Data data = data(loss.equals("cross-entropy"));
                SequenceModel reference = model();
                List<Double> refHistory = FitLoop.fit(reference, data, cfg, null);
                int total = 9; // 3 epochs x 3 batches
                for (int stopAt = 1; stopAt < total; stopAt++) {
                    SequenceModel first = model();
                    FitLoop loop = new FitLoop(first, data, cfg);
                    for (int s = 0; s < stopAt; s++) loop.step();
                    Checkpointer cp = new Checkpointer(dir.resolve(optimizer + loss + stopAt), Map.of("k", "v"), 3);
                    Path file = cp.save(loop.snapshot());
                    // The checkpoint goes through the file, as after a kill.
                    SequenceModel second = model();
                    FitLoop resumed = new FitLoop(second, data, cfg);
                    resumed.restore(Checkpointer.read(file));
                    assertTrue(resumed.run(null));
                    String where = optimizer + "/" + loss + " stopped after step " + stopAt;
                    assertArrayEquals(reference.parameters().values(), second.parameters().values(), where);
                    assertEquals(refHistory, resumed.history(), where);
                }
            }
        }
    }

    @Test
    void trainingRunStopsOnRequestWritesCheckpointAndResumes(@TempDir Path dir) throws Exception {
        FitConfig cfg = config("adam", "mse");
        FitLoop.Data data = data(false);
        SequenceModel reference = model();
        FitLoop.fit(reference, data, cfg, null);

        Path ckDir = dir.resolve("ck");
        var options = new TrainingRun.Options(ckDir, CheckpointEvery.steps(2), 3, false);
        StopSignal stop = StopSignal.manual();
        SequenceModel first = model();
        FitLoop loop = new FitLoop(first, data, cfg);
        List<Long> seen = new ArrayList<>();
        try (TrainingRun run = TrainingRun.open(options, Map.of("--lr", "0.01"), null, stop)) {
            loop.listener((e, m, s) -> {
                if (e == 2) stop.request();
            });
            assertFalse(loop.run(run));
            seen.add(loop.steps());
            assertEquals(6, loop.steps(), "the stop comes after the step that finished epoch 2");
            assertTrue(run.lastCheckpoint().endsWith(Checkpointer.fileName(6)));
            assertTrue(run.resumeHint("rnn4j fit --x").contains("--resume " + ckDir));
        }
        // A fresh run into the same folder is refused: it would overwrite the unfinished one.
        CheckpointException refused = assertThrows(CheckpointException.class,
                () -> TrainingRun.open(options, Map.of("--lr", "0.01"), null, StopSignal.manual()));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        // Different flags are refused with the flag named.
        var resume = new TrainingRun.Options(ckDir, CheckpointEvery.steps(2), 3, true);
        CheckpointException changed = assertThrows(CheckpointException.class,
                () -> TrainingRun.open(resume, Map.of("--lr", "0.02"), null, StopSignal.manual()));
        assertTrue(changed.getMessage().contains("--lr was 0.01, now 0.02"), changed.getMessage());

        SequenceModel second = model();
        FitLoop again = new FitLoop(second, data, cfg);
        try (TrainingRun run = TrainingRun.open(resume, Map.of("--lr", "0.01"), null, StopSignal.manual())) {
            again.restore(run.resumed());
            assertTrue(again.run(run));
            run.complete();
        }
        assertArrayEquals(reference.parameters().values(), second.parameters().values());
        assertFalse(Files.exists(ckDir), "a completed run removes its checkpoints");
    }
}
