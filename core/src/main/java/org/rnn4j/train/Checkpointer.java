package org.rnn4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.JsonException;
import org.rnn4j.io.Safetensors;
import org.rnn4j.io.SafetensorsFile;
import org.rnn4j.tensor.Tensor;

/**
 * Writes {@link Checkpoint}s into one folder and finds the newest good one again.
 *
 * <p><b>File format.</b> One safetensors file per checkpoint, {@code ckpt-<step, 12 digits>.safetensors},
 * so that any safetensors tool can look inside. The tensors are the checkpoint's float arrays (F32);
 * the {@code __metadata__} holds two strings:
 *
 * <ul>
 *   <li>{@value #KEY_STATE}: JSON with the format version, step, creation time, the run's
 *       fingerprint (its settings), and the checkpoint's longs, doubles (finite ones as JSON
 *       numbers, which read back bit for bit; others as "NaN"/"Infinity"/"-Infinity"), generator
 *       states and JSON values;
 *   <li>{@value #KEY_CHECKSUM}: {@code sha256:<hex>} over that JSON text and every tensor's name,
 *       shape and bytes, so a flipped bit anywhere in the content is caught on load.
 * </ul>
 *
 * <p><b>Writing</b> goes through {@link org.rnn4j.io.AtomicFiles} (temporary file in the same folder,
 * fsync, rename, fsync of the folder): a checkpoint is either absent or complete, even if the process
 * is killed mid-write. Only the newest {@code keep} files are kept. A checkpoint with a non-finite
 * value in any array is refused, so a NaN never reaches disk.
 *
 * <p><b>Loading</b> ({@link #loadLatest}) tries the files from the newest step down. A file that is
 * truncated, malformed or fails its checksum is reported through the caller's message consumer,
 * renamed to {@code <name>.corrupt} (kept for inspection, never read again) and the previous one is
 * tried. A good checkpoint whose fingerprint differs from this run's is refused with a message that
 * lists the settings that changed.
 */
public final class Checkpointer {
    /** How many checkpoints are kept when nothing else is said. */
    public static final int DEFAULT_KEEP = 3;
    public static final String KEY_STATE = "rnn4j.checkpoint";
    public static final String KEY_CHECKSUM = "rnn4j.checksum";
    public static final int FORMAT_VERSION = 1;

    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12,19})\\.safetensors");
    /** AtomicFiles' temporary files for our names: a leading dot, the name, random hex, .tmp. */
    private static final Pattern TEMP = Pattern.compile("\\.ckpt-\\d+\\.safetensors\\.[0-9a-f]+\\.tmp");

    /** A checkpoint read back, and the file it came from. */
    public record Loaded(Path file, Checkpoint checkpoint) {}

    private final Path dir;
    private final SequencedMap<String, String> fingerprint;
    private final int keep;

    /**
     * @param dir         the folder; created on the first {@link #save}
     * @param fingerprint the settings that must match for a resume ("--lr" → "0.01", ...); stored in
     *                    every checkpoint and compared by {@link #loadLatest}
     * @param keep        how many checkpoints to keep, at least 1
     */
    public Checkpointer(Path dir, Map<String, String> fingerprint, int keep) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        this.keep = keep;
        this.fingerprint = new TreeMap<>(fingerprint);
    }

    public Path dir() {
        return dir;
    }

    /** The file name of the checkpoint after {@code step} steps. */
    public static String fileName(long step) {
        return String.format("ckpt-%012d.safetensors", step);
    }

    /** The checkpoint files in the folder, oldest step first; empty if the folder does not exist. */
    public List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) out.add(p);
            }
        }
        out.sort(Comparator.comparingLong(Checkpointer::stepOf));
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) return -1;
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Writes {@code ck} atomically as {@link #fileName(long)} of its step, then deletes all but the
     * newest {@code keep} checkpoints.
     *
     * @return the file written
     * @throws IOException naming the file and the cause (disk full, read-only folder, ...); an
     *     existing checkpoint is never damaged
     */
    public Path save(Checkpoint ck) throws IOException {
        for (Map.Entry<String, Tensor> e : ck.arrays().entrySet()) {
            float[] d = e.getValue().data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new IOException("refusing to write a checkpoint of step " + ck.step() + ": " + e.getKey()
                            + " contains " + d[i] + " at flat index " + i);
                }
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileSystemException e) {
            String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw new IOException("cannot create the checkpoint folder " + dir + ": " + reason, e);
        }
        Path file = dir.resolve(fileName(ck.step()));
        String state = Json.write(stateJson(ck));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_STATE, state);
        meta.put(KEY_CHECKSUM, checksum(state, ck.arrays()));
        Safetensors.write(file, ck.arrays(), meta);
        prune();
        return file;
    }

    private void prune() throws IOException {
        List<Path> all = files();
        for (int i = 0; i < all.size() - keep; i++) Files.deleteIfExists(all.get(i));
    }

    /** Deletes every checkpoint and leftover temporary file, and the folder if it is then empty. */
    public void deleteAll() throws IOException {
        for (Path p : files()) Files.deleteIfExists(p);
        deleteTemporaryFiles();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                if (!ds.iterator().hasNext()) Files.deleteIfExists(dir);
            }
        }
    }

    /** Removes temporary files of writes that a killed process left behind. */
    public void deleteTemporaryFiles() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (TEMP.matcher(p.getFileName().toString()).matches()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The newest checkpoint that reads back intact and was made with this fingerprint.
     *
     * @param notes receives one line for every checkpoint that was refused (corrupt, truncated), saying
     *              which and why, and that the previous one is used
     * @throws CheckpointException when the folder holds no checkpoint, none is intact, or the newest
     *     intact one was made with different settings
     */
    public Loaded loadLatest(Consumer<String> notes) throws IOException {
        List<Path> all = files();
        if (all.isEmpty()) {
            throw new CheckpointException("no checkpoint to resume from in " + dir
                    + (Files.isDirectory(dir) ? "" : " (the folder does not exist)")
                    + "; start the run without --resume");
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Path file = all.get(i);
            Parsed parsed;
            try {
                parsed = readWithFingerprint(file);
            } catch (FormatException | NoSuchFileException e) {
                String why = e instanceof FormatException fe ? fe.problem() : "it disappeared";
                Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException moveFailed) {
                    aside = file; // read-only folder: leave it; it is refused again next time
                }
                notes.accept("refusing checkpoint " + file + ": " + why + (aside.equals(file) ? "" : " (renamed to "
                        + aside.getFileName() + ")") + (i > 0 ? "; falling back to the previous one, "
                        + all.get(i - 1).getFileName() : ""));
                continue;
            }
            checkFingerprint(file, parsed.fingerprint());
            return new Loaded(file, parsed.checkpoint());
        }
        throw new CheckpointException("no intact checkpoint in " + dir + ": all " + all.size()
                + " were refused (see above); start the run again without --resume");
    }

    private void checkFingerprint(Path file, Map<String, String> stored) throws CheckpointException {
        List<String> diffs = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(stored);
        keys.putAll(fingerprint);
        for (String k : keys.keySet()) {
            String was = stored.get(k), now = fingerprint.get(k);
            if (!Objects.equals(was, now)) {
                diffs.add(k + " was " + (was == null ? "not set" : was) + ", now " + (now == null ? "not set" : now));
            }
        }
        if (!diffs.isEmpty()) {
            throw new CheckpointException("cannot resume from " + file + ": it was made with different settings ("
                    + String.join("; ", diffs) + "). Resume with the same flags as the interrupted run, or start a new run"
                    + " with another --checkpoint-dir");
        }
    }

    // ---------------------------------------------------------------- reading one file

    /**
     * Reads and verifies one checkpoint file: safetensors structure, format version and checksum.
     *
     * @throws FormatException naming the file when it is truncated, malformed or its checksum does not
     *     match the content
     */
    public static Checkpoint read(Path file) throws IOException {
        return readWithFingerprint(file).checkpoint();
    }

    private record Parsed(Checkpoint checkpoint, Map<String, String> fingerprint) {}

    private static Parsed readWithFingerprint(Path file) throws IOException {
        SafetensorsFile sf = Safetensors.read(file);
        String state = sf.metadata().get(KEY_STATE);
        String sum = sf.metadata().get(KEY_CHECKSUM);
        if (state == null || sum == null) {
            throw new FormatException(file, "not an rnn4j checkpoint: metadata lacks " + KEY_STATE + " and " + KEY_CHECKSUM);
        }
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        for (String name : sf.names()) {
            if (!sf.dtype(name).equals("F32")) {
                throw new FormatException(file, "tensor " + FormatException.quote(name) + " has dtype " + sf.dtype(name)
                        + "; checkpoints hold F32 only");
            }
            arrays.put(name, sf.tensor(name));
        }
        String actual = checksum(state, arrays);
        if (!actual.equals(sum)) {
            throw new FormatException(file, "checksum mismatch (stored " + abbreviate(sum) + ", content hashes to "
                    + abbreviate(actual) + "); the file is corrupt");
        }
        Map<?, ?> json;
        try {
            if (!(Json.parse(state) instanceof Map<?, ?> m)) throw new FormatException(file, KEY_STATE + " is not a JSON object");
            json = m;
        } catch (JsonException e) {
            throw new FormatException(file, KEY_STATE + " is not valid JSON: " + e.getMessage());
        }
        if (!(json.get("format") instanceof Long v) || v != FORMAT_VERSION) {
            throw new FormatException(file, "checkpoint format " + json.get("format") + " is not the one this rnn4j reads ("
                    + FORMAT_VERSION + ")");
        }
        if (!(json.get("step") instanceof Long step) || step < 0) {
            throw new FormatException(file, "checkpoint step is " + json.get("step") + ", expected a whole number >= 0");
        }
        Checkpoint ck = new Checkpoint(step);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) ck.rawArray(e.getKey(), e.getValue());
        for (Map.Entry<?, ?> e : section(file, json, "longs").entrySet()) {
            if (!(e.getValue() instanceof Long l)) throw new FormatException(file, "longs." + e.getKey() + " is not a whole number");
            ck.putLong((String) e.getKey(), l);
        }
        for (Map.Entry<?, ?> e : section(file, json, "doubles").entrySet()) {
            ck.putDouble((String) e.getKey(), toDouble(file, (String) e.getKey(), e.getValue()));
        }
        for (Map.Entry<?, ?> e : section(file, json, "rngs").entrySet()) {
            if (!(e.getValue() instanceof Long l)) throw new FormatException(file, "rngs." + e.getKey() + " is not a whole number");
            ck.rawRng((String) e.getKey(), l);
        }
        for (Map.Entry<?, ?> e : section(file, json, "json").entrySet()) ck.putJson((String) e.getKey(), e.getValue());
        Map<String, String> fingerprint = new TreeMap<>();
        for (Map.Entry<?, ?> e : section(file, json, "fingerprint").entrySet()) {
            fingerprint.put((String) e.getKey(), String.valueOf(e.getValue()));
        }
        return new Parsed(ck, fingerprint);
    }

    private static Map<?, ?> section(Path file, Map<?, ?> json, String key) throws FormatException {
        Object v = json.get(key);
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?> m)) throw new FormatException(file, "checkpoint section " + key + " is not an object");
        return m;
    }

    private static double toDouble(Path file, String name, Object v) throws FormatException {
        return switch (v) {
            case Long l -> l;
            case Double d -> d;
            case String s when s.equals("NaN") -> Double.NaN;
            case String s when s.equals("Infinity") -> Double.POSITIVE_INFINITY;
            case String s when s.equals("-Infinity") -> Double.NEGATIVE_INFINITY;
            default -> throw new FormatException(file, "doubles." + name + " is " + v + ", expected a number");
        };
    }

    private Map<String, Object> stateJson(Checkpoint ck) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", (long) FORMAT_VERSION);
        j.put("step", ck.step());
        j.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        j.put("fingerprint", fingerprint);
        j.put("longs", ck.longs());
        Map<String, Object> doubles = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : ck.doubles().entrySet()) {
            double d = e.getValue();
            // A double written as an integer-looking JSON number would read back as a Long: keep the
            // decimal point by writing the Double object; Json writes the shortest exact form.
            doubles.put(e.getKey(), Double.isFinite(d) ? (Object) d : Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
        j.put("doubles", doubles);
        j.put("rngs", ck.rngs());
        j.put("json", ck.json());
        return j;
    }

    /** SHA-256 over the state JSON and every tensor's name, shape and little-endian bytes, in order. */
    static String checksum(String state, SequencedMap<String, Tensor> arrays) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] s = state.getBytes(StandardCharsets.UTF_8);
        md.update(lengthPrefix(s.length));
        md.update(s);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            md.update(lengthPrefix(name.length));
            md.update(name);
            int[] shape = e.getValue().shape();
            md.update(lengthPrefix(shape.length));
            for (int d : shape) md.update(lengthPrefix(d));
            for (float f : e.getValue().data()) {
                if (buf.remaining() < 4) {
                    md.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(f);
            }
            md.update(buf.array(), 0, buf.position());
            buf.clear();
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static byte[] lengthPrefix(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static String abbreviate(String sum) {
        return sum.length() > 23 ? sum.substring(0, 23) + "..." : sum;
    }
}
