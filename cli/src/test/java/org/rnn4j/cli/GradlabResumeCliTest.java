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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;

/**
 * {@code rnn4j gradlab} in a child JVM, interrupted by a real Ctrl-C (SIGINT) in its second or third cell:
 * it writes a checkpoint into OUT/checkpoints, exits 130 and prints the command that continues it; a fresh
 * run into the same folder is refused; the printed command continues it (here from the checkpoint folder
 * alone: OUT is its parent), and report.json (all but the wall-clock seconds) and the pictures come out
 * byte for byte as from a run never interrupted.
 */
class GradlabResumeCliTest {
    @TempDir
    Path dir;

    static final String[] ARGS = {"gradlab", "--length", "20", "--steps", "100", "--hidden", "8", "--batch", "8", "--test-size", "16",
            "--eval-every", "20", "--seed", "3", "--clip-norm", "1", "--quiet"};

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void sigintCheckpointsAndExits130ThenResumeGivesTheSameReportAndPictures() throws Exception {
        assumeFalse(ChildRuns.sigintIgnored(), "SIGINT is ignored by this process tree (started with nohup or in the"
                + " background of a non-interactive shell), so a child JVM cannot receive it");
        Path ref = dir.resolve("ref");
        ChildRuns.Result r = ChildRuns.inProcess(with(ARGS, "--out", ref.toString()));
        assertEquals(0, r.code(), r.err());

        // A checkpoint after every step slows the child down enough to be interrupted mid-experiment.
        Path out = dir.resolve("int"), ckDir = out.resolve("checkpoints"), log = dir.resolve("int.log");
        Process p = ChildRuns.start(dir, log, with(ARGS, "--out", "int", "--checkpoint-every", "1"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ResumeCliTest.newestStep(ckDir) < 130 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(p.isAlive(), "the experiment finished before it could be interrupted; log:\n" + ResumeCliTest.read(log));
        ChildRuns.signal(p, "INT");
        assertEquals(130, ChildRuns.waitFor(p, 60), () -> ResumeCliTest.read(log));
        String said = ResumeCliTest.read(log);
        assertTrue(said.contains("rnn4j gradlab: stopped (SIGINT) after writing checkpoint int/checkpoints/ckpt-"), said);
        assertTrue(said.contains("--out int --checkpoint-every 1 --resume int/checkpoints"), "the command to continue: " + said);
        assertFalse(Files.exists(out.resolve("report.json")), "an interrupted experiment writes no report");
        long stoppedAt = ResumeCliTest.newestStep(ckDir);
        assertTrue(stoppedAt > 100 && stoppedAt < 300, "stopped in the second or third cell, at global step " + stoppedAt);

        ChildRuns.Result fresh = ChildRuns.inProcess(with(ARGS, "--out", out.toString()));
        assertEquals(2, fresh.code());
        assertTrue(fresh.err().contains("holds checkpoints of an unfinished run") && fresh.err().contains("--resume " + ckDir), fresh.err());

        // Continue without --out: the run folder is the checkpoint folder's parent.
        ChildRuns.Result resumed = ChildRuns.inProcess(with(ARGS, "--resume", ckDir.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming from " + ckDir.resolve("ckpt-")), resumed.err());
        assertEquals(withoutSeconds(ref.resolve("report.json")), withoutSeconds(out.resolve("report.json")));
        for (String png : List.of("gradient-flow.png", "training.png")) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(png)), Files.readAllBytes(out.resolve(png)), png);
        }
        assertFalse(Files.exists(ckDir), "the completed experiment removed its checkpoints");
    }

    @SuppressWarnings("unchecked")
    static String withoutSeconds(Path report) throws Exception {
        Map<String, Object> r = (Map<String, Object>) Json.readFile(report);
        for (Object cell : ((Map<String, Object>) r.get("cells")).values()) ((Map<String, Object>) cell).remove("seconds");
        return Json.writePretty(r);
    }
}
