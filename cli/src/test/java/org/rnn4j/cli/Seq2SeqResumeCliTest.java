package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.io.Json;
import org.rnn4j.tensor.Rng;

/**
 * {@code rnn4j seq2seq train} in a child JVM: killed with SIGKILL it continues from its last periodic
 * checkpoint, and Ctrl-C (SIGINT) checkpoints, exits 130 and prints the command to resume; either way the
 * resumed run ends with the weights and validation history of a run never interrupted. A run whose loss
 * becomes NaN stops with exit 2 naming the step, and writes no model.
 */
class Seq2SeqResumeCliTest {
    @TempDir
    static Path dir;
    static float[] reference;
    static Map<String, Object> referenceMetrics;

    /** Reverse a word of letters A-E (toy G2P): 150 training pairs in batches of 8, dropout on, 2 validations per epoch. */
    static String[] trainArgs(String out, String... more) {
        List<String> a = new ArrayList<>(List.of("seq2seq", "train", "--pairs", "train.tsv", "--val-pairs", "val.tsv",
                "--hidden-size", "16", "--embedding-size", "8", "--batch-size", "8", "--epochs", "10", "--evals-per-epoch", "2",
                "--decode-validation", "10", "--patience", "50", "--lr", "0.01", "--seed", "3", "--out", out, "--quiet"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** The same arguments with the data files named by absolute paths, for runs in this JVM. */
    static String[] inProcessArgs(String... args) {
        String[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i].endsWith(".tsv")) a[i] = dir.resolve(a[i]).toString();
        }
        return a;
    }

    static void toyPairs(String name, int n, long seed) throws Exception {
        Rng r = new Rng(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 1 + r.nextInt(5); j > 0; j--) w.append((char) ('A' + r.nextInt(5)));
            sb.append(w).append('\t').append(String.join(" ", w.reverse().toString().split(""))).append('\n');
        }
        Files.writeString(dir.resolve(name), sb);
    }

    @BeforeAll
    static void referenceRun() throws Exception {
        toyPairs("train.tsv", 150, 1);
        toyPairs("val.tsv", 30, 2);
        Path out = dir.resolve("ref");
        ChildRuns.Result ref = ChildRuns.inProcess(inProcessArgs(trainArgs(out.toString())));
        assertEquals(0, ref.code(), ref.err());
        reference = Seq2SeqModel.load(out.resolve("model.safetensors")).parameters().values().clone();
        referenceMetrics = comparable(out);
        assertFalse(Files.exists(out.resolve("checkpoints")), "an uninterrupted run leaves no checkpoints");
    }

    /** What of metrics.json must match: steps, epochs, stop reason, best and the history, without wall-clock times. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> comparable(Path out) throws Exception {
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        Map<String, Object> keep = new LinkedHashMap<>();
        for (String k : List.of("steps", "epochs", "stop_reason", "best", "history", "validation_greedy", "settings")) keep.put(k, m.get(k));
        ((Map<String, Object>) keep.get("best")).remove("seconds");
        for (Object h : (List<Object>) keep.get("history")) ((Map<String, Object>) h).remove("seconds");
        return keep;
    }

    static void assertSameAsReference(Path out, String where) throws Exception {
        assertArrayEquals(reference, Seq2SeqModel.load(out.resolve("model.safetensors")).parameters().values(), where + ": weights");
        assertEquals(referenceMetrics, comparable(out), where + ": metrics.json");
        assertFalse(Files.exists(out.resolve("checkpoints")), where + ": the completed run removed its checkpoints");
    }

    /** Waits until the child has written a checkpoint newer than step {@code before}; false if it ended first. */
    static boolean awaitCheckpointAfter(Process p, Path ckDir, long before) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (p.isAlive() && ResumeCliTest.newestStep(ckDir) <= before && System.nanoTime() < deadline) Thread.sleep(10);
        return p.isAlive() && ResumeCliTest.newestStep(ckDir) > before;
    }

    @Test
    void sigkillThenResumeContinuesFromTheLastPeriodicCheckpointBitIdentically() throws Exception {
        Path ckDir = dir.resolve("killed").resolve("checkpoints");
        Path log = dir.resolve("killed.log");
        Process p = ChildRuns.start(dir, log, trainArgs("killed", "--checkpoint-every", "5"));
        assertTrue(awaitCheckpointAfter(p, ckDir, 5), () -> "no second periodic checkpoint; log:\n" + ResumeCliTest.read(log));
        p.destroyForcibly(); // SIGKILL: no chance to write anything more
        p.waitFor();
        long newest = ResumeCliTest.newestStep(ckDir);
        assertFalse(Files.exists(dir.resolve("killed").resolve("metrics.json")));

        ChildRuns.Result resumed = ChildRuns.inProcess(inProcessArgs(trainArgs(dir.resolve("killed").toString(), "--checkpoint-every", "5",
                "--resume", ckDir.toString())));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming from " + ckDir.resolve(String.format("ckpt-%012d.safetensors", newest))),
                resumed.err());
        assertSameAsReference(dir.resolve("killed"), "killed after step " + newest + ", resumed");
    }

    @Test
    void sigintCheckpointsExits130WithTheResumeCommandThenResumesBitIdentically() throws Exception {
        assumeFalse(ChildRuns.sigintIgnored(), "SIGINT is ignored by this process tree (started with nohup or in the"
                + " background of a non-interactive shell), so a child JVM cannot receive it");
        Path ckDir = dir.resolve("int").resolve("checkpoints");
        Path log = dir.resolve("int.log");
        Process p = ChildRuns.start(dir, log, trainArgs("int", "--checkpoint-every", "7"));
        assertTrue(awaitCheckpointAfter(p, ckDir, 0), () -> "training finished before it could be interrupted; log:\n"
                + ResumeCliTest.read(log));
        ChildRuns.signal(p, "INT");
        assertEquals(130, ChildRuns.waitFor(p, 60), () -> ResumeCliTest.read(log));
        String said = ResumeCliTest.read(log);
        assertTrue(said.contains("rnn4j seq2seq train: stopped (SIGINT) after writing checkpoint " + Path.of("int", "checkpoints", "ckpt-")),
                said);
        assertTrue(said.contains("\n  rnn4j seq2seq train --pairs train.tsv ") && said.contains(" --checkpoint-every 7 --resume int/checkpoints"),
                said);
        assertFalse(Files.exists(dir.resolve("int").resolve("metrics.json")), "an interrupted run writes no metrics");
        long stoppedAt = ResumeCliTest.newestStep(ckDir);

        ChildRuns.Result resumed = ChildRuns.inProcess(inProcessArgs(trainArgs(dir.resolve("int").toString(), "--checkpoint-every", "7",
                "--resume", ckDir.toString())));
        assertEquals(0, resumed.code(), resumed.err());
        assertSameAsReference(dir.resolve("int"), "stopped by SIGINT after step " + stoppedAt + ", resumed");
    }

    @Test
    void divergingRunStopsWithExit2NamingTheStepAndWritesNoModel() throws Exception {
        Path out = dir.resolve("nan");
        String[] args = inProcessArgs(trainArgs(out.toString()));
        args[List.of(args).indexOf("--lr") + 1] = "3e37";
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(5, lines.length, r.err());
        for (int i = 0; i < 4; i++) assertTrue(lines[i].matches("step \\d+: loss is NaN.*skipped this update and lowered the learning rate.*"),
                lines[i]);
        assertTrue(lines[4].startsWith("rnn4j seq2seq train: training diverged: the loss is NaN")
                && lines[4].contains("the 5th non-finite step in a row") && lines[4].contains("no checkpoint was written yet"), lines[4]);
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no model from a run that diverged before its first validation");
        assertFalse(Files.exists(out.resolve("metrics.json")));
    }
}
