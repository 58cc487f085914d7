package org.rnn4j.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rnn4j.train.CheckpointEvery;
import org.rnn4j.train.Checkpointer;
import org.rnn4j.train.TrainingRun;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The checkpoint flags every training command shares ({@code --checkpoint-dir}, {@code --checkpoint-every},
 * {@code --resume}, {@code --keep-checkpoints}). Wiring a command (see {@link FitCommand} for the whole of it):
 *
 * <pre>{@code
 * @Spec CommandSpec spec;
 * @Mixin CheckpointFlags checkpoints;
 * ...
 * Map<String, String> fp = CheckpointFlags.fingerprint(spec, Set.of("--epochs"), Map.of("data", CheckpointFlags.sha256(x, ids)));
 * try (TrainingRun run = TrainingRun.open(checkpoints.options(outDir.resolve("checkpoints")), fp, err::println)) {
 *     if (run.resumed() != null) loop.restore(run.resumed());
 *     try {
 *         if (!loop.run(run)) {                       // stopped by Ctrl-C / SIGTERM after writing a checkpoint
 *             err.println(run.resumeHint(CheckpointFlags.commandLine(spec)));
 *             return run.stopExitCode();              // 130 / 143
 *         }
 *     } catch (DivergenceException e) {
 *         throw new UserException(e.getMessage() + "; " + run.lastCheckpointNote());
 *     }
 *     ModelFile.save(out, model);
 *     run.complete();                                 // result saved: drop the checkpoints
 * }
 * }</pre>
 */
public final class CheckpointFlags {
    /** Flags that may differ between an interrupted run and its resumption. */
    static final Set<String> NOT_FINGERPRINTED = Set.of("--checkpoint-dir", "--checkpoint-every", "--resume",
            "--keep-checkpoints", "--quiet", "--help", "--version",
            "--threads"); // results do not depend on the thread count (reliability promise 12a)

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "folder for checkpoints (default: next to the output). Deleted when the run completes.")
    Path dir;

    @Option(names = "--checkpoint-every", paramLabel = "DURATION|STEPS", defaultValue = "10m",
            description = "write a checkpoint this often: a duration (30s, 10m, 2h) or a number of steps (default: ${DEFAULT-VALUE}); "
                    + "Ctrl-C always writes one")
    String every;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue an interrupted run from the newest intact checkpoint in DIR (give the same other flags)")
    Path resume;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "" + Checkpointer.DEFAULT_KEEP,
            description = "how many checkpoints to keep (default: ${DEFAULT-VALUE})")
    int keep;

    /** The folder given to {@code --resume}, or null for a fresh run. */
    public Path resumeDir() {
        return resume;
    }

    /** The options for a run whose default checkpoint folder is {@code defaultDir}. */
    public TrainingRun.Options options(Path defaultDir) {
        CheckpointEvery when = CheckpointEvery.parse(every);
        if (resume != null && dir != null && !resume.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            throw new UserException("--resume " + resume + " and --checkpoint-dir " + dir + " differ; give --resume alone:"
                    + " the resumed run keeps writing its checkpoints there");
        }
        Path where = resume != null ? resume : dir != null ? dir : defaultDir;
        return new TrainingRun.Options(where, when, keep, resume != null);
    }

    /**
     * What must match for a resume: every option of the command except the checkpoint flags, {@code --quiet}
     * and {@code excluded} (flags whose change is harmless, such as {@code --epochs}), plus {@code extra}
     * entries such as data hashes ({@link #sha256}).
     */
    public static Map<String, String> fingerprint(CommandSpec spec, Set<String> excluded, Map<String, String> extra) {
        Map<String, String> fp = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (NOT_FINGERPRINTED.contains(name) || excluded.contains(name) || o.usageHelp() || o.versionHelp()) continue;
            Object v = o.getValue();
            // The same file named from another folder or by a relative path is still the same file.
            if (v instanceof Path p) v = p.toAbsolutePath().normalize();
            fp.put(name, v == null ? "" : v.toString());
        }
        fp.putAll(extra);
        return fp;
    }

    /** The command line as the user typed it, for "run this to continue" messages. */
    public static String commandLine(CommandSpec spec) {
        List<String> words = new ArrayList<>();
        words.add("rnn4j");
        for (String a : spec.commandLine().getParseResult().originalArgs()) words.add(shellQuote(a));
        return String.join(" ", words);
    }

    private static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A short SHA-256 of the training data (float arrays and int arrays), so a resume on changed data is refused. */
    public static String sha256(float[] floats, int[] ints) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int n = floats == null ? 0 : floats.length, m = ints == null ? 0 : ints.length;
        buf.putLong(n).putLong(m);
        for (int i = 0; i < n + m; i++) {
            if (buf.remaining() < 4) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            if (i < n) buf.putFloat(floats[i]);
            else buf.putInt(ints[i - n]);
        }
        md.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }
}
