package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;

/**
 * {@code rnn4j forecast} in a child JVM, stopped with Ctrl-C (SIGINT; SIGTERM where this process tree ignores
 * SIGINT) mid-training: it writes a checkpoint into OUT/checkpoints, exits 130 (143) and prints the command to
 * continue; that printed command, run as it is, finishes the run with the same model file, metrics and plots,
 * byte for byte, as a run never interrupted (metrics.json but for the wall-clock train_seconds).
 */
class ForecastResumeCliTest {
    @TempDir
    Path dir;

    /** Two small LSTM layers with dropout on the embedded Seattle data: 3 epochs of 63 steps. */
    static List<String> args(String out) {
        return new ArrayList<>(List.of("forecast", "--hidden-size", "8", "--layers", "2", "--dropout", "0.2", "--lookback", "7",
                "--epochs", "3", "--patience", "2", "--batch-size", "16", "--seed", "4", "--quiet", "--out", out));
    }

    @Test
    void interruptedThenThePrintedResumeCommandEndsWithTheUninterruptedOutputs() throws Exception {
        ChildRuns.Result ref = ChildRuns.inProcess(args(dir.resolve("ref").toString()).toArray(String[]::new));
        assertEquals(0, ref.code(), ref.err());

        boolean sigint = !ChildRuns.sigintIgnored();
        Path log = dir.resolve("int.log");
        Path ckDir = dir.resolve("int").resolve("checkpoints");
        List<String> first = args("int");
        first.addAll(List.of("--checkpoint-every", "20"));
        Process p = ChildRuns.start(dir, log, first.toArray(String[]::new));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ChildRuns.checkpoints(ckDir).isEmpty() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "training finished before it could be interrupted; log:\n" + ResumeCliTest.read(log));
        ChildRuns.signal(p, sigint ? "INT" : "TERM");
        assertEquals(sigint ? 130 : 143, ChildRuns.waitFor(p, 60), () -> ResumeCliTest.read(log));
        String said = ResumeCliTest.read(log);
        assertTrue(said.contains("rnn4j forecast: stopped (" + (sigint ? "SIGINT" : "SIGTERM") + ") after writing checkpoint int/checkpoints/ckpt-")
                && said.contains("to continue, run the same command with --resume int/checkpoints:"), said);
        try (var files = Files.list(dir.resolve("int"))) {
            assertEquals(List.of(ckDir), files.toList(), "an interrupted run writes nothing but its checkpoints");
        }

        // A fresh run into the folder, or a resume with another flag, is refused saying why.
        ChildRuns.Result fresh = ChildRuns.inProcess(args(dir.resolve("int").toString()).toArray(String[]::new));
        assertEquals(2, fresh.code());
        assertTrue(fresh.err().contains("holds the checkpoints of an unfinished run; add --resume"), fresh.err());
        List<String> changed = args(dir.resolve("int").toString());
        changed.set(changed.indexOf("--seed") + 1, "5");
        changed.addAll(List.of("--resume", ckDir.toString()));
        ChildRuns.Result refused = ChildRuns.inProcess(changed.toArray(String[]::new));
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--seed was 4, now 5"), refused.err());

        // The printed command, as printed (it has no --out of its own here: it is the one given).
        String command = null;
        for (String line : said.split("\n")) if (line.startsWith("  rnn4j forecast ")) command = line.strip();
        assertNotNull(command, said);
        assertTrue(command.endsWith("--resume int/checkpoints"), command);
        List<String> words = new ArrayList<>(Arrays.asList(command.split(" ")));
        words.removeFirst();
        Path log2 = dir.resolve("resume.log");
        Process q = ChildRuns.start(dir, log2, words.toArray(String[]::new));
        assertEquals(0, ChildRuns.waitFor(q, 120), () -> ResumeCliTest.read(log2));
        assertTrue(ResumeCliTest.read(log2).contains("resuming from int/checkpoints/ckpt-"), ResumeCliTest.read(log2));

        Path a = dir.resolve("ref"), b = dir.resolve("int");
        for (String f : List.of("model.safetensors", "loss.png", "forecast.png")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertEquals(metricsWithoutTime(a), metricsWithoutTime(b), "metrics.json");
        assertFalse(Files.exists(ckDir), "the completed run removed its checkpoints");
    }

    /** An absurd learning rate: the non-finite steps are skipped one by one, then the run stops naming the step. */
    @Test
    void divergingRunSkipsStepsThenStopsWithExit2NamingTheStepAndWritesNoModel() throws Exception {
        Path out = dir.resolve("div");
        List<String> a = args(out.toString());
        a.set(a.indexOf("--layers") + 1, "1");
        a.set(a.indexOf("--dropout") + 1, "0");
        a.addAll(List.of("--lr", "1e30"));
        ChildRuns.Result r = ChildRuns.inProcess(a.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(5, lines.length, r.err());
        for (int i = 0; i < 4; i++) {
            assertTrue(lines[i].matches("step \\d+: .* is NaN.*; skipped this update and lowered the learning rate to .*"), lines[i]);
        }
        assertTrue(lines[4].startsWith("rnn4j forecast: training diverged: ") && lines[4].contains("the 5th non-finite step in a row")
                && lines[4].contains("no checkpoint was written yet"), lines[4]);
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no model from a diverged run");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metricsWithoutTime(Path run) throws java.io.IOException {
        Map<String, Object> m = (Map<String, Object>) Json.readFile(run.resolve("metrics.json"));
        assertTrue(((Number) m.remove("train_seconds")).doubleValue() > 0, run + ": train_seconds");
        return m;
    }
}
