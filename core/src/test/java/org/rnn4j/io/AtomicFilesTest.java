package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void put(Path p, String text) throws IOException {
        AtomicFiles.write(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesNewFilesAndReplacesOldOnes() throws IOException {
        Path target = dir.resolve("m.safetensors");
        put(target, "first");
        assertEquals("first", Files.readString(target));
        put(target, "second, longer");
        assertEquals("second, longer", Files.readString(target));
        put(dir.resolve("sub").resolveSibling("rel.txt"), "");
        assertEquals(List.of("m.safetensors", "rel.txt"), listing());
    }

    @Test
    void failingBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("m.safetensors");
        put(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("the network drive went away");
        }));
        assertEquals("cannot write " + target + ": the network drive went away", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("m.safetensors"), listing());
    }

    @Test
    void saysPlainlyWhenTheDiskIsFull() {
        Path target = dir.resolve("m.safetensors");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + target + ": no space left on device", e.getMessage());
        assertTrue(Files.notExists(target));
    }

    @Test
    void uncheckedExceptionsPassThroughAfterCleanUp() throws IOException {
        Path target = dir.resolve("m.bin");
        put(target, "old");
        IllegalArgumentException bug = new IllegalArgumentException("hiddenSize must be > 0, got 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write(1);
                    throw bug;
                }));
        assertSame(bug, e);
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("m.bin"), listing());
    }

    @Test
    void bodyMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write('a');
            out.close();
        });
        assertEquals("a", Files.readString(target));
    }

    @Test
    void failsClearlyWithoutAFolder() {
        Path target = dir.resolve("missing").resolve("m.safetensors");
        IOException e = assertThrows(IOException.class, () -> put(target, "x"));
        assertEquals("cannot write " + target + ": folder does not exist (" + target.getParent() + ")", e.getMessage());
        IOException folder = assertThrows(IOException.class, () -> put(dir, "x"));
        assertEquals("cannot write " + dir + ": it is a folder", folder.getMessage());
    }

    @Test
    void failsClearlyInAReadOnlyFolder() throws IOException {
        assumeTrue(POSIX, "needs POSIX permissions");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path target = ro.resolve("m.safetensors");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path probe = ro.resolve("probe");
            boolean writable;
            try {
                Files.createFile(probe);
                Files.delete(probe);
                writable = true;
            } catch (IOException e) {
                writable = false;
            }
            assumeTrue(!writable, "running as root (or with CAP_DAC_OVERRIDE): chmod does not stop writes here, so a "
                    + "read-only folder cannot be simulated");
            IOException e = assertThrows(IOException.class, () -> put(target, "new"));
            assertEquals("cannot write " + target + ": folder is read-only (" + ro + ")", e.getMessage());
            assertEquals("old", Files.readString(target));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var s = Files.list(ro)) {
            assertEquals(List.of(target), s.toList());
        }
    }

    @Test
    void replacesTheFileBehindASymbolicLink() throws IOException {
        assumeTrue(POSIX, "needs symbolic links");
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real.getFileName());
        put(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void keepsThePermissionsOfTheFileItReplaces() throws IOException {
        assumeTrue(POSIX, "needs POSIX permissions");
        Path target = Files.writeString(dir.resolve("secret.json"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        put(target, "new");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
}
