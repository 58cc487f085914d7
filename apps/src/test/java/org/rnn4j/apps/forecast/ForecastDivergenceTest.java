package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.CellKind;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.StopSignal;
import org.rnn4j.train.TrainingRun;

/**
 * The divergence guard inside forecast training: a NaN target (a poisoned value the CSV reader can never
 * produce, so the windows are built by hand) makes its step's loss NaN; that update is skipped and the
 * learning rate halved, training goes on; when every step is poisoned, the fifth skip in a row stops the run
 * with a message naming the step, and nothing non-finite is ever in a checkpoint or a model file.
 */
class ForecastDivergenceTest {
    static final int WINDOWS = 64, BATCH = 16;

    /** A real spec (features, lookback, normalisation) from a small table; the windows are made up. */
    static FeatureSpec spec() {
        Rng r = new Rng(5);
        return ForecastDataset.from(Tables.daily(LocalDate.of(2021, 1, 1), 120, "temp,wind",
                i -> String.format(java.util.Locale.ROOT, "%.3f,%.3f", 10 + 5 * Math.sin(i / 9.0) + r.nextGaussian(), 3 + r.nextGaussian())),
                ForecastOptions.forTarget("temp").withLookback(5)).spec();
    }

    /**
     * {@code n} windows over a random normalised series; the target rows in {@code poisoned} (window indices)
     * are NaN but marked observed, as a bug upstream might leave them.
     */
    static WindowSet windows(String name, FeatureSpec spec, int n, long seed, int... poisoned) {
        int f = spec.featureCount(), l = spec.lookback(), h = spec.horizon(), k = spec.stepsAhead();
        int rows = n + l - 1 + h + k - 1;
        Rng r = new Rng(seed);
        float[] matrix = new float[rows * f];
        for (int i = 0; i < matrix.length; i++) matrix[i] = (float) r.nextGaussian();
        float[] targetNorm = new float[rows];
        double[] targetRaw = new double[rows];
        boolean[] observed = new boolean[rows];
        LocalDateTime[] times = new LocalDateTime[rows];
        for (int i = 0; i < rows; i++) {
            targetNorm[i] = (float) r.nextGaussian();
            targetRaw[i] = targetNorm[i];
            observed[i] = true;
            times[i] = LocalDateTime.of(2000, 1, 1, 0, 0).plusDays(i);
        }
        int[] anchors = new int[n];
        for (int i = 0; i < n; i++) anchors[i] = l - 1 + i;
        for (int w : poisoned) targetNorm[anchors[w] + h] = Float.NaN;
        return new WindowSet(name, matrix, f, targetNorm, observed, targetRaw, times, anchors, l, h, k);
    }

    static ForecastModelConfig config(int epochs) {
        return new ForecastModelConfig(CellKind.GRU, 5, 1, 0, 0.01, 0, BATCH, epochs, 100, 1.0, true, 1, 9);
    }

    @Test
    void aPoisonedWindowSkipsItsStepLowersTheLearningRateAndTrainingGoesOn(@TempDir Path dir) throws Exception {
        FeatureSpec spec = spec();
        ForecastTrainer t = new ForecastTrainer(spec, windows("train", spec, WINDOWS, 1, 37), windows("validation", spec, 20, 2),
                config(4));
        List<String> notes = new ArrayList<>();
        t.listener(new ForecastTrainer.Listener() {
            @Override
            public void note(String line) {
                notes.add(line);
            }
        });
        Path ckDir = dir.resolve("ck");
        List<Checkpoint> written = new ArrayList<>();
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1), 100, false), Map.of(),
                null, StopSignal.manual())) {
            assertTrue(t.run(run));
            // Every step wrote a checkpoint (the writer refuses non-finite values, so none had any).
            assertEquals(16, run.checkpointer().files().size());
            for (Path p : run.checkpointer().files()) written.add(Checkpointer.read(p));
        }
        // Window 37 is in exactly one batch per epoch: one skipped step per epoch, each halving the rate.
        assertEquals(4, t.guard().skipped(), String.join("\n", notes));
        assertEquals(4, notes.size(), String.join("\n", notes));
        for (int i = 0; i < 4; i++) {
            assertTrue(notes.get(i).matches("step \\d+: loss is NaN.*; skipped this update and lowered the learning rate to "
                    + String.format(java.util.Locale.ROOT, "%.6g", 0.01 * Math.pow(0.5, i + 1)) + " \\(\\d of 5 allowed in a row\\)"),
                    notes.get(i));
        }
        for (Checkpoint ck : written.subList(0, 15)) { // the last one is of the finished run: no optimizer left
            assertEquals(0.01 * Math.pow(0.5, ck.getLong("guard.skipped")), ck.getDouble("optimizer.lr"),
                    "the lowered rate is in the checkpoint of step " + ck.step());
        }
        assertEquals(4, written.getLast().getLong("guard.skipped"));
        ForecastTrainer.Result r = t.result();
        for (float v : r.forecaster().members().getFirst().parameters().values()) assertTrue(Float.isFinite(v));
        for (double v : r.trainLoss().getFirst()) assertTrue(Double.isFinite(v), "the skipped steps are out of the epoch loss");
        Path model = dir.resolve("model.safetensors");
        r.forecaster().save(model);
        for (float v : ModelFile.load(model).parameters().values()) assertTrue(Float.isFinite(v));
    }

    @Test
    void everyStepPoisonedStopsAtTheFifthNamingItAndTheLastGoodCheckpointIsClean(@TempDir Path dir) throws Exception {
        FeatureSpec spec = spec();
        int[] all = new int[WINDOWS];
        for (int i = 0; i < WINDOWS; i++) all[i] = i;
        WindowSet val = windows("validation", spec, 20, 2);
        ForecastTrainer t = new ForecastTrainer(spec, windows("train", spec, WINDOWS, 1, all), val, config(4));
        Checkpoint initial = new ForecastTrainer(spec, windows("train", spec, WINDOWS, 1), val, config(4)).snapshot();
        Path ckDir = dir.resolve("ck");
        try (TrainingRun run = TrainingRun.open(new TrainingRun.Options(ckDir, CheckpointEvery.steps(1), 100, false), Map.of(),
                null, StopSignal.manual())) {
            DivergenceException e = assertThrows(DivergenceException.class, () -> t.run(run));
            assertTrue(e.getMessage().contains("loss is NaN") && e.getMessage().contains("at step 5, the 5th non-finite step in a row (since step 1)")
                    && e.getMessage().contains("nothing non-finite was saved"), e.getMessage());
            assertTrue(run.lastCheckpointNote().contains(Checkpointer.fileName(4)), run.lastCheckpointNote());
            assertEquals(4, run.checkpointer().files().size());
            for (Path p : run.checkpointer().files()) {
                Checkpoint ck = Checkpointer.read(p);
                // The skipped steps never touched the weights: every checkpoint holds the initial ones.
                for (String name : ck.arrayNames()) {
                    if (!name.startsWith(Checkpoint.MODEL_PREFIX)) continue;
                    float[] v = ck.getArray(name);
                    assertArrayEquals(initial.getArray(name), v, p + ": " + name);
                    for (float x : v) assertTrue(Float.isFinite(x), p + ": " + name);
                }
            }
        }
        // Resuming from the last good checkpoint on clean data trains normally.
        ForecastTrainer again = new ForecastTrainer(spec, windows("train", spec, WINDOWS, 1), val, config(4));
        again.restore(Checkpointer.read(ckDir.resolve(Checkpointer.fileName(4))));
        assertTrue(again.run(null));
        assertEquals(4, again.guard().skipped());
        assertEquals(0, again.guard().consecutive(), "the first clean step ended the run of failures");
        for (float v : again.result().forecaster().members().getFirst().parameters().values()) assertTrue(Float.isFinite(v));
    }
}
