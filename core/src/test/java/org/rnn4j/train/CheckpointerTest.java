package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.FormatException;
import org.rnn4j.tensor.Rng;

class CheckpointerTest {
    static Checkpoint sample(long step) {
        Rng r = new Rng(step);
        float[] a = new float[37];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        return new Checkpoint(step).putArray("model/w", a, 37).putArray("m", new float[] {1, 2, 3, 4}, 2, 2)
                .putLong("epoch", 3).putDouble("lr", 0.1 / 3).putDouble("best", Double.POSITIVE_INFINITY)
                .putDouble("nan", Double.NaN).putDouble("one", 1.0).putRng("dropout", new Rng(99))
                .putInts("positions", new int[] {5, -1, Integer.MAX_VALUE}).putJson("plateau", Map.of("bad", 2L));
    }

    @Test
    void roundTripsEveryKindOfValueExactly(@TempDir Path dir) throws Exception {
        Checkpointer cp = new Checkpointer(dir, Map.of("--lr", "0.1"), 3);
        Checkpoint ck = sample(12);
        Path file = cp.save(ck);
        assertEquals("ckpt-000000000012.safetensors", file.getFileName().toString());
        Checkpoint back = Checkpointer.read(file);
        assertEquals(12, back.step());
        assertArrayEquals(ck.getArray("model/w"), back.getArray("model/w"));
        assertArrayEquals(new int[] {2, 2}, back.arrayShape("m"));
        assertEquals(3, back.getInt("epoch"));
        assertEquals(Double.doubleToRawLongBits(0.1 / 3), Double.doubleToRawLongBits(back.getDouble("lr")));
        assertEquals(Double.POSITIVE_INFINITY, back.getDouble("best"));
        assertTrue(Double.isNaN(back.getDouble("nan")));
        assertEquals(1.0, back.getDouble("one"));
        Rng restored = new Rng(0);
        back.restoreRng("dropout", restored);
        assertEquals(new Rng(99).nextLong(), restored.nextLong());
        assertArrayEquals(new int[] {5, -1, Integer.MAX_VALUE}, back.getInts("positions"));
        assertEquals(Map.of("bad", 2L), back.getJson("plateau"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> back.getLong("nope"));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
    }

    @Test
    void keepsOnlyTheNewestK(@TempDir Path dir) throws Exception {
        Checkpointer cp = new Checkpointer(dir, Map.of(), 3);
        for (long s = 1; s <= 6; s++) cp.save(sample(s * 10));
        List<String> names = cp.files().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of(Checkpointer.fileName(40), Checkpointer.fileName(50), Checkpointer.fileName(60)), names);
    }

    @Test
    void corruptNewestIsRefusedSayingSoAndThePreviousIsUsed(@TempDir Path dir) throws Exception {
        Checkpointer cp = new Checkpointer(dir, Map.of(), 3);
        cp.save(sample(10));
        cp.save(sample(20));
        Path newest = cp.save(sample(30));
        flipByte(newest, Files.size(newest) - 5); // inside the tensor data: only the checksum can tell
        List<String> notes = new ArrayList<>();
        Checkpointer.Loaded loaded = cp.loadLatest(notes::add);
        assertEquals(20, loaded.checkpoint().step());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("checksum mismatch") && notes.get(0).contains(newest.toString())
                && notes.get(0).contains("falling back to the previous one"), notes.get(0));
        assertTrue(Files.exists(newest.resolveSibling(newest.getFileName() + ".corrupt")), "kept aside for inspection");

        // A truncated file (a copy cut short, say) is refused too, by its structure.
        Path second = dir.resolve(Checkpointer.fileName(20));
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 9);
        }
        notes.clear();
        assertEquals(10, cp.loadLatest(notes::add).checkpoint().step());
        assertTrue(notes.get(0).contains(second.toString()), notes.toString());

        Path last = dir.resolve(Checkpointer.fileName(10));
        Files.write(last, new byte[] {1, 2, 3});
        CheckpointException none = assertThrows(CheckpointException.class, () -> cp.loadLatest(s -> { }));
        assertTrue(none.getMessage().contains("no intact checkpoint"), none.getMessage());
    }

    @Test
    void everyFlippedByteIsCaught(@TempDir Path dir) throws Exception {
        Checkpointer cp = new Checkpointer(dir, Map.of("a", "b"), 1);
        Path file = cp.save(sample(5));
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.safetensors");
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x10;
            Files.write(bad, b);
            try {
                Checkpoint ck = Checkpointer.read(bad);
                // The only harmless flips are in the header's padding spaces, which carry no content.
                assertEquals(' ' ^ 0x10, b[i] & 0xff, "byte " + i + " flipped but the checkpoint still read: step " + ck.step());
            } catch (FormatException e) {
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            }
        }
    }

    @Test
    void refusesNonFiniteValues(@TempDir Path dir) {
        Checkpointer cp = new Checkpointer(dir, Map.of(), 3);
        Checkpoint ck = new Checkpoint(3).putArray("model/w", new float[] {1, Float.NaN});
        IOException e = assertThrows(IOException.class, () -> cp.save(ck));
        assertTrue(e.getMessage().contains("model/w contains NaN at flat index 1"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(Checkpointer.fileName(3))));
    }

    @Test
    void emptyFolderSaysHowToStart(@TempDir Path dir) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Checkpointer(dir.resolve("none"), Map.of(), 3).loadLatest(s -> { }));
        assertTrue(e.getMessage().contains("no checkpoint to resume from") && e.getMessage().contains("without --resume"),
                e.getMessage());
    }

    @Test
    void leftoverTemporaryFilesAreRemoved(@TempDir Path dir) throws Exception {
        Path tmp = dir.resolve(".ckpt-000000000007.safetensors.0123456789ab.tmp");
        Files.write(tmp, new byte[10]);
        Path other = dir.resolve("notes.txt");
        Files.write(other, new byte[1]);
        new Checkpointer(dir, Map.of(), 3).deleteTemporaryFiles();
        assertFalse(Files.exists(tmp));
        assertTrue(Files.exists(other));
    }

    @Test
    void checkpointEveryParses() {
        assertEquals(CheckpointEvery.steps(500), CheckpointEvery.parse("500"));
        assertEquals(CheckpointEvery.interval(Duration.ofMinutes(10)), CheckpointEvery.parse("10m"));
        assertEquals(CheckpointEvery.interval(Duration.ofSeconds(5400)), CheckpointEvery.parse("1h30m"));
        assertEquals(CheckpointEvery.interval(Duration.ofSeconds(90)), CheckpointEvery.parse("90s"));
        assertEquals("1h30m", CheckpointEvery.parse("1h30m").toString());
        for (String bad : List.of("0", "", "10x", "m", "-5", "0s", "1.5h")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointEvery.parse(bad), bad);
            assertTrue(e.getMessage().contains("--checkpoint-every"), e.getMessage());
        }
        assertTrue(CheckpointEvery.steps(5).due(10, Duration.ZERO));
        assertFalse(CheckpointEvery.steps(5).due(11, Duration.ofDays(1)));
        assertTrue(CheckpointEvery.parse("1m").due(3, Duration.ofSeconds(61)));
    }

    static void flipByte(Path file, long at) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) at] ^= 0x01;
        Files.write(file, b);
    }
}
