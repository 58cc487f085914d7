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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;

/**
 * The promise of docs/reliability.md: a {@code fit} killed at any moment (SIGKILL) and resumed with the same
 * flags plus {@code --resume} ends with weights bit-identical to a run that was never interrupted; Ctrl-C
 * (SIGINT) checkpoints and exits 130 saying how to resume; a corrupt checkpoint is refused (checksum) and the
 * previous one is used.
 */
class ResumeCliTest {
    @TempDir
    static Path dir;
    static float[] reference;

    /** Two-layer LSTM with dropout (so the dropout generator matters), shuffled batches of 8 over 48 rows. */
    static String[] fitArgs(String out) {
        return new String[] {"fit", "--model", "m0.safetensors", "--input", "x.npy", "--target", "y.npy", "--out", out,
                "--epochs", "14", "--batch-size", "8", "--lr", "0.01", "--clip-norm", "1", "--seed", "5", "--quiet"};
    }

    @BeforeAll
    static void referenceRun() throws Exception {
        Rng r = new Rng(11);
        float[] x = new float[48 * 16 * 4], y = new float[48 * 16 * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        Npy.write(dir.resolve("x.npy"), Tensor.of(x, 48, 16, 4));
        Npy.write(dir.resolve("y.npy"), Tensor.of(y, 48, 16, 2));
        ChildRuns.Result init = ChildRuns.inProcess("init", "--cell", "lstm", "--input-size", "4", "--hidden-size", "24",
                "--layers", "2", "--dropout", "0.25", "--output-size", "2", "--seed", "3", "--out", dir.resolve("m0.safetensors").toString());
        assertEquals(0, init.code(), init.err());
        String[] args = fitArgs(dir.resolve("ref.safetensors").toString());
        args[2] = dir.resolve("m0.safetensors").toString();
        args[4] = dir.resolve("x.npy").toString();
        args[6] = dir.resolve("y.npy").toString();
        ChildRuns.Result ref = ChildRuns.inProcess(args);
        assertEquals(0, ref.code(), ref.err());
        reference = ChildRuns.weights(dir.resolve("ref.safetensors"));
    }

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void sigkillAtRandomMomentsThenResumeGivesBitIdenticalWeights() throws Exception {
        Path out = dir.resolve("killed.safetensors");
        Path ckDir = dir.resolve("killed.safetensors.checkpoints");
        Path log = dir.resolve("killed.log");
        Rng when = new Rng(2024);
        int kills = 0, resumes = 0;
        for (int attempt = 0; attempt < 12 && !Files.exists(out); attempt++) {
            boolean resume = !ChildRuns.checkpoints(ckDir).isEmpty();
            String[] args = with(fitArgs(out.getFileName().toString()), "--checkpoint-every", "1");
            if (resume) {
                args = with(args, "--resume", ckDir.getFileName().toString());
                resumes++;
            }
            long before = newestStep(ckDir);
            Process p = ChildRuns.start(dir, log, args);
            if (kills < 4) {
                // Wait for progress past the last checkpoint (JVM start-up time varies with load), then kill at a
                // random moment: mid-step, mid-checkpoint-write, anywhere.
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (p.isAlive() && newestStep(ckDir) <= before && System.nanoTime() < deadline) Thread.sleep(5);
                Thread.sleep(when.nextInt(400));
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                    kills++;
                    continue;
                }
            }
            assertEquals(0, ChildRuns.waitFor(p, 120), () -> "child failed; log:\n" + read(log));
        }
        assertTrue(kills >= 3, "only " + kills + " kills landed; log:\n" + read(log));
        assertTrue(resumes >= 1, "never resumed; log:\n" + read(log));
        assertArrayEquals(reference, ChildRuns.weights(out), "weights after " + kills + " kills and " + resumes + " resumes");
        assertFalse(Files.exists(ckDir), "the completed run removed its checkpoints");
    }

    @Test
    void sigintAndSigtermCheckpointAndExit130And143ThenACorruptCheckpointIsRefusedAndThePreviousUsed() throws Exception {
        assumeFalse(ChildRuns.sigintIgnored(), "SIGINT is ignored by this process tree (started with nohup or in the"
                + " background of a non-interactive shell), so a child JVM cannot receive it");
        Path out = dir.resolve("int.safetensors");
        Path ckDir = dir.resolve("int.safetensors.checkpoints");
        Path log = dir.resolve("int.log");
        Process p = ChildRuns.start(dir, log, with(fitArgs(out.getFileName().toString()), "--checkpoint-every", "3"));
        // Wait until training runs (two checkpoints written), then Ctrl-C.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (ChildRuns.checkpoints(ckDir).size() < 2 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(p.isAlive(), "training finished before it could be interrupted; log:\n" + read(log));
        ChildRuns.signal(p, "INT");
        assertEquals(130, ChildRuns.waitFor(p, 60), () -> read(log));
        String said = read(log);
        assertTrue(said.contains("stopped (SIGINT) after writing checkpoint") && said.contains("--resume " + ckDir.getFileName()),
                said);
        assertFalse(Files.exists(out), "an interrupted run writes no model");
        // Resume, and stop again with SIGTERM (what kill and batch schedulers send): exit 143, checkpoint written.
        long before = newestStep(ckDir);
        Process q = ChildRuns.start(dir, log, with(fitArgs(out.getFileName().toString()), "--checkpoint-every", "3", "--resume",
                ckDir.getFileName().toString()));
        while (newestStep(ckDir) <= before && q.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(q.isAlive(), "the resumed run finished before it could be stopped; log:\n" + read(log));
        ChildRuns.signal(q, "TERM");
        assertEquals(143, ChildRuns.waitFor(q, 60), () -> read(log));
        assertTrue(read(log).contains("stopped (SIGTERM) after writing checkpoint"), read(log));
        assertFalse(Files.exists(out), "an interrupted run writes no model");
        List<Path> cks = ChildRuns.checkpoints(ckDir);
        assertTrue(cks.size() >= 2, cks.toString());

        // Corrupt the newest checkpoint in its tensor data: only the checksum can tell.
        Path newest = cks.getLast();
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 7] ^= 0x40;
        Files.write(newest, bytes);

        String[] args = with(fitArgs(out.toString()), "--resume", ckDir.toString());
        args[2] = dir.resolve("m0.safetensors").toString();
        args[4] = dir.resolve("x.npy").toString();
        args[6] = dir.resolve("y.npy").toString();
        ChildRuns.Result resumed = ChildRuns.inProcess(args);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("refusing checkpoint " + newest) && resumed.err().contains("checksum mismatch")
                && resumed.err().contains("falling back to the previous one, " + cks.get(cks.size() - 2).getFileName()),
                resumed.err());
        assertArrayEquals(reference, ChildRuns.weights(out), "resumed from the checkpoint before the corrupt one");
    }

    static long newestStep(Path ckDir) throws java.io.IOException {
        List<Path> cks = ChildRuns.checkpoints(ckDir);
        return cks.isEmpty() ? -1 : Long.parseLong(cks.getLast().getFileName().toString().replaceAll("\\D", ""));
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
