package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.Checkpointer;

/**
 * Writing a model or a checkpoint into a full or read-only file system fails with a clear message and leaves
 * the previous file intact. Uses a 64 KiB tmpfs mount (needs root, as in CI); skipped, saying why, where
 * mounting is not permitted.
 */
class FullDiskCliTest {
    @TempDir
    static Path dir;
    static Path model, x, y;
    Path mount;

    @BeforeAll
    static void data() throws IOException {
        model = dir.resolve("m0.safetensors");
        // 4 x 64 x 64 LSTM weights alone are 64 KiB: more than the small file system can take.
        assertEquals(0, ChildRuns.inProcess("init", "--cell", "lstm", "--input-size", "4", "--hidden-size", "64",
                "--output-size", "2", "--out", model.toString()).code());
        Rng r = new Rng(1);
        float[] xs = new float[4 * 3 * 4], ys = new float[4 * 3 * 2];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        x = dir.resolve("x.npy");
        y = dir.resolve("y.npy");
        Npy.write(x, Tensor.of(xs, 4, 3, 4));
        Npy.write(y, Tensor.of(ys, 4, 3, 2));
    }

    /** Mounts a 64 KiB tmpfs at a fresh folder, or skips the test with the reason. */
    Path tmpfs(String name) throws Exception {
        Path m = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", m.toString()).redirectErrorStream(true).start();
        boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        String why = ok ? "" : new String(p.getInputStream().readAllBytes()).strip();
        assumeTrue(ok, "cannot mount a small tmpfs here (needs root and mount permission): " + why);
        mount = m;
        return m;
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": "
                + new String(p.getInputStream().readAllBytes()));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) run("umount", mount.toString());
    }

    static String[] fit(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("fit", "--model", model.toString(), "--input", x.toString(), "--target",
                y.toString(), "--out", out.toString(), "--epochs", "2", "--batch-size", "2", "--quiet"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void modelIntoAFullDiskFailsClearlyAndKeepsThePreviousFile() throws Exception {
        Path m = tmpfs("full");
        Path out = m.resolve("model.safetensors");
        byte[] previous = "the previous model".getBytes();
        Files.write(out, previous);
        ChildRuns.Result r = ChildRuns.inProcess(fit(out, "--checkpoint-dir", dir.resolve("ck-full").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().equals("rnn4j fit: cannot write " + out + ": no space left on device"), r.err());
        assertArrayEquals(previous, Files.readAllBytes(out));
        try (var s = Files.list(m)) {
            assertEquals(List.of(out), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void checkpointIntoAFullDiskFailsClearlyAndKeepsThePreviousOne() throws Exception {
        Path m = tmpfs("fullck");
        Checkpointer cp = new Checkpointer(m, Map.of(), 3);
        Path first = cp.save(new Checkpoint(1).putArray("small", new float[100]));
        byte[] before = Files.readAllBytes(first);
        IOException e = assertThrows(IOException.class, () -> cp.save(new Checkpoint(2).putArray("big", new float[20_000])));
        assertTrue(e.getMessage().equals("cannot write " + m.resolve(Checkpointer.fileName(2)) + ": no space left on device"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(first));
        assertEquals(List.of(first), cp.files());
        assertEquals(1, Checkpointer.read(first).step());

        // Through the command: the run stops with the same one line; what was saved before survives.
        ChildRuns.Result r = ChildRuns.inProcess(fit(dir.resolve("never.safetensors"), "--checkpoint-dir", m.resolve("run").toString(),
                "--checkpoint-every", "1"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().matches("rnn4j fit: cannot write .*ckpt-0+1\\.safetensors: no space left on device"), r.err());
    }

    @Test
    void readOnlyFileSystemFailsClearlyAndKeepsThePreviousFile() throws Exception {
        Path m = tmpfs("readonly");
        Path out = m.resolve("model.safetensors");
        byte[] previous = "the previous model".getBytes();
        Files.write(out, previous);
        run("mount", "-o", "remount,ro", m.toString());
        ChildRuns.Result r = ChildRuns.inProcess(fit(out, "--checkpoint-dir", dir.resolve("ck-ro").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().equals("rnn4j fit: cannot write " + out + ": the file system is read-only"), r.err());
        assertArrayEquals(previous, Files.readAllBytes(out));

        Checkpointer cp = new Checkpointer(m.resolve("ck"), Map.of(), 3);
        IOException e = assertThrows(IOException.class, () -> cp.save(new Checkpoint(1).putArray("a", new float[1])));
        assertEquals("cannot create the checkpoint folder " + m.resolve("ck") + ": Read-only file system", e.getMessage());
    }
}
