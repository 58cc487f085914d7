package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;

/**
 * {@code rnn4j lm train} interrupted by a real Ctrl-C (SIGINT to a child JVM) checkpoints, exits 130 and prints
 * the command that continues it; that command, run as printed, ends with a model file byte-identical to an
 * uninterrupted run's and the same metrics (all but the wall-clock and CPU times).
 */
class LmResumeCliTest {
    @TempDir
    static Path dir;
    static Path text;

    /** Two-layer LSTM with dropout, evaluations every 10 steps with patience 0 (LR cuts), 2 epochs of 36 steps. */
    static List<String> args(Path out) {
        return new ArrayList<>(List.of("lm", "train", "--text", text.toString(), "--out", out.toString(), "--hidden-size", "16",
                "--layers", "2", "--dropout", "0.2", "--embedding-size", "8", "--seq-len", "25", "--batch-size", "8", "--lr", "0.01",
                "--epochs", "2", "--eval-every", "10", "--patience", "0", "--seed", "3", "--sample-length", "20"));
    }

    @BeforeAll
    static void writeText() throws Exception {
        StringBuilder sb = new StringBuilder();
        String[] words = {"the cat", "sat on", "the mat", "and the dog", "ran off", "to sea"};
        for (int i = 0; sb.length() < 8_000; i++) sb.append(words[(i * 7 + i / 5) % words.length]).append(i % 9 == 8 ? "\n" : " ");
        text = Files.writeString(dir.resolve("text.txt"), sb);
    }

    @Test
    void ctrlCCheckpointsExits130PrintsTheResumeCommandWhichFinishesBitIdentically() throws Exception {
        assumeFalse(ChildRuns.sigintIgnored(), "SIGINT is ignored by this process tree (started with nohup or in the"
                + " background of a non-interactive shell), so a child JVM cannot receive it");
        Path ref = dir.resolve("ref");
        ChildRuns.Result r0 = ChildRuns.inProcess(args(ref).toArray(String[]::new));
        assertEquals(0, r0.code(), r0.err());
        assertFalse(Files.exists(ref.resolve("checkpoints")), "a run that completes leaves no checkpoints");

        Path out = dir.resolve("int");
        Path ckDir = out.resolve("checkpoints");
        Path log = dir.resolve("int.log");
        List<String> a = args(out);
        a.addAll(List.of("--checkpoint-every", "2"));
        Process p = ChildRuns.start(dir, log, a.toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        // Interrupt after the first evaluation (step 10), so that the best model so far exists and the plateau state matters.
        while (ResumeCliTest.newestStep(ckDir) < 10 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(p.isAlive(), "training finished before it could be interrupted; log:\n" + ResumeCliTest.read(log));
        ChildRuns.signal(p, "INT");
        assertEquals(130, ChildRuns.waitFor(p, 60), () -> ResumeCliTest.read(log));
        String said = ResumeCliTest.read(log);
        assertTrue(said.contains("rnn4j lm train: stopped (SIGINT) after writing checkpoint " + ckDir), said);
        List<Path> cks = ChildRuns.checkpoints(ckDir);
        assertFalse(cks.isEmpty(), said);
        long stoppedAt = ResumeCliTest.newestStep(ckDir);
        assertTrue(stoppedAt >= 10 && stoppedAt < 72, "interrupted after the first evaluation, before the end: step " + stoppedAt);
        for (float v : ChildRuns.weights(out.resolve("model.safetensors"))) assertTrue(Float.isFinite(v), "the best model so far is kept");

        // The printed command, as printed.
        String marker = "to continue, run the same command with --resume " + ckDir + ":\n  ";
        int at = said.indexOf(marker);
        assertTrue(at >= 0, said);
        String command = said.substring(at + marker.length()).lines().findFirst().orElseThrow();
        assertTrue(command.startsWith("rnn4j lm train ") && command.endsWith(" --resume " + ckDir), command);
        String[] resumeArgs = command.substring("rnn4j ".length()).split(" ");
        ChildRuns.Result r1 = ChildRuns.inProcess(resumeArgs);
        assertEquals(0, r1.code(), r1.err());
        assertTrue(r1.err().contains("resuming from " + cks.getLast() + " (step " + stoppedAt + ")"), r1.err());
        assertFalse(Files.exists(ckDir), "the completed run removed its checkpoints");

        assertArrayEquals(Files.readAllBytes(ref.resolve("model.safetensors")), Files.readAllBytes(out.resolve("model.safetensors")),
                "model file of the interrupted and resumed run (stopped after step " + stoppedAt + ")");
        Map<String, Object> want = metricsWithoutTimes(ref), got = metricsWithoutTimes(out);
        assertEquals(want, got, "metrics.json");
        assertTrue(((List<?>) got.get("history")).size() >= 8, got.toString());
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
    }

    @Test
    void aDivergingRunSkipsLowersTheLrStopsNamingTheStepAndTheLastGoodCheckpointAndSavesNoNan() throws Exception {
        // A ReLU RNN with an absurd learning rate: after one update its state overflows at every step.
        Path out = dir.resolve("diverged");
        ChildRuns.Result r = ChildRuns.inProcess("lm", "train", "--text", text.toString(), "--out", out.toString(), "--cell", "rnn-relu",
                "--hidden-size", "8", "--layers", "1", "--seq-len", "20", "--batch-size", "4", "--lr", "1e20", "--eval-every", "5",
                "--checkpoint-every", "3", "--quiet");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(5, lines.length, r.err());
        for (int s = 2; s <= 5; s++) {
            assertTrue(lines[s - 2].startsWith("step " + s + ": loss is NaN") && lines[s - 2].contains("skipped this update and lowered"
                    + " the learning rate to"), lines[s - 2]);
        }
        Path good = out.resolve("checkpoints").resolve(org.rnn4j.train.Checkpointer.fileName(3));
        assertTrue(lines[4].startsWith("rnn4j lm train: training diverged: the loss is NaN") && lines[4].contains("at step 6, the 5th"
                + " non-finite step in a row (since step 2)") && lines[4].contains("the last good checkpoint is " + good), lines[4]);
        assertEquals(List.of(good), ChildRuns.checkpoints(out.resolve("checkpoints")), "the last good checkpoint is kept");
        org.rnn4j.train.Checkpoint ck = org.rnn4j.train.Checkpointer.read(good);
        for (String name : ck.arrayNames()) {
            for (float v : ck.getArray(name)) assertTrue(Float.isFinite(v), good + ": " + name);
        }
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no validation loss was ever finite: no best model");
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"val_loss\": null"), "NaN is written as null");
    }

    /** metrics.json without the values no two runs share: wall-clock and CPU seconds, tokens per second. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> metricsWithoutTimes(Path run) throws Exception {
        Map<String, Object> m = (Map<String, Object>) Json.readFile(run.resolve("metrics.json"));
        for (String k : List.of("elapsed_seconds", "process_cpu_seconds", "tokens_per_second")) {
            assertTrue(m.remove(k) != null || k.equals("process_cpu_seconds"), k);
        }
        for (Object e : (List<Object>) m.get("history")) {
            ((Map<String, Object>) e).remove("elapsed_seconds");
            ((Map<String, Object>) e).remove("process_cpu_seconds");
        }
        return m;
    }
}
