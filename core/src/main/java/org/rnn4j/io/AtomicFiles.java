package org.rnn4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old file or the complete new one, never a torn one.
 *
 * <p>The body writes into a temporary file in the target's folder (same file system, so the final
 * rename is atomic); the temporary file is flushed and fsynced, renamed over the target, and then
 * the folder itself is fsynced so the rename survives a power cut. If anything fails — the body
 * throws, the disk fills up, the folder is read-only — the temporary file is deleted, an existing
 * target is left untouched, and the {@link IOException} names the target and the cause in plain
 * words.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Keeps temporary names under the common 255-byte file-name limit for long target names. */
    private static final int MAX_PREFIX_CHARS = 100;

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically with the bytes {@code body} puts into the stream.
     *
     * <p>The stream is buffered; the body may close it or not. Unchecked exceptions from the body
     * (programming errors, argument checks) propagate unchanged after the clean-up; I/O failures are
     * rethrown as an {@link IOException} whose message reads {@code "cannot write <target>:
     * <cause>"}, with the original as its cause.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        target = resolveTarget(target);
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a folder");
        }
        Path tmp = null;
        try {
            tmp = createTemp(dir, target);
            copyPermissions(target, tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                UnclosableStream out = new UnclosableStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(tmp, target);
            tmp = null;
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw new IOException("cannot write " + target + ": " + describe(e, dir), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        }
        syncFolder(dir);
    }

    /** Absolute path; a symbolic link is followed so that we replace the file, not the link. */
    private static Path resolveTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs) && Files.exists(abs)) {
            abs = abs.toRealPath();
        }
        if (abs.getParent() == null) {
            throw new IOException("cannot write " + abs + ": not a file path");
        }
        return abs;
    }

    private static Path createTemp(Path dir, Path target) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "folder does not exist");
        }
        String name = target.getFileName().toString();
        if (name.length() > MAX_PREFIX_CHARS) name = name.substring(0, MAX_PREFIX_CHARS);
        for (int attempt = 0; ; attempt++) {
            byte[] random = new byte[6];
            ThreadLocalRandom.current().nextBytes(random);
            Path tmp = dir.resolve("." + name + "." + HexFormat.of().formatHex(random) + ".tmp");
            try {
                // CREATE_NEW (not createTempFile) so the file gets the usual permissions, not 0600.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    /** Replacing a file should not change who may read it; best effort on POSIX systems only. */
    private static void copyPermissions(Path from, Path to) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
            if (view == null || !Files.exists(from)) return;
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            Files.setPosixFilePermissions(to, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // The new file keeps the default permissions; nothing else depends on them.
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some network and FUSE file systems cannot rename atomically; a plain replace is the
            // best they offer, and the data itself is already safely on disk.
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable. Windows and some file systems refuse to open folders; that is fine. */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Nothing to do: the platform gives no way to sync a folder.
        }
    }

    private static void deleteQuietly(Path tmp, Throwable failure) {
        if (tmp == null) return;
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The cause of a failed write in plain words, for a user who has to fix it. */
    static String describe(IOException e, Path dir) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : text;
        String lower = (reason + " " + text).toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) return "no space left on device";
        if (lower.contains("quota")) return "disk quota exceeded";
        if (lower.contains("read-only file system")) return "the file system is read-only";
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return Files.isWritable(dir) ? "permission denied" : "folder is read-only (" + dir + ")";
        }
        if (e instanceof NoSuchFileException && !Files.isDirectory(dir)) {
            return "folder does not exist (" + dir + ")";
        }
        if (e instanceof FormatException) return text;
        return text.isEmpty() ? e.getClass().getSimpleName() : text;
    }

    /**
     * Lets the body close "its" stream without closing the channel we still have to fsync.
     */
    private static final class UnclosableStream extends OutputStream {
        private final OutputStream out;

        UnclosableStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
