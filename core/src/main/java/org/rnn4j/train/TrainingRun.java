package org.rnn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The checkpoint, resume and Ctrl-C machinery of one training run, in a form that any training loop
 * wires in with a few lines.
 *
 * <h2>How to make a training loop resumable</h2>
 *
 * <ol>
 *   <li>Keep the loop's whole state explicit: step, epoch, position in the epoch, every {@link
 *       org.rnn4j.tensor.Rng} (state at the start of the epoch for the data order, current state for
 *       dropout), optimizer, schedule, early-stopping counters, running sums that get reported.
 *   <li>Write one method {@code Checkpoint snapshot()} that puts all of it into a {@link Checkpoint}
 *       and one {@code restore(Checkpoint)} that reads it back.
 *   <li>Open the run, restore if resuming, call {@link #afterStep} after every step, and {@link
 *       #complete()} at the end:
 * </ol>
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.open(options, fingerprint, System.out::println)) {
 *     if (run.resumed() != null) loop.restore(run.resumed());
 *     while (loop.hasNextStep()) {
 *         loop.step();
 *         if (run.afterStep(loop.step(), loop::snapshot)) return run.stopExitCode(); // Ctrl-C: checkpoint written
 *     }
 *     ModelFile.save(out, model);
 *     run.complete(); // the run's result is safe: its checkpoints are deleted
 * }
 * }</pre>
 *
 * <p>{@code open} with {@link Options#resume()} loads the newest intact checkpoint (falling back past
 * corrupt ones, which it reports) and refuses one made with a different fingerprint; without it, a
 * folder that still holds checkpoints of an unfinished run is refused, so an interrupted run is never
 * overwritten by accident. {@code afterStep} writes a checkpoint when one is due ({@link
 * CheckpointEvery}) and when a stop was requested (first SIGINT/SIGTERM, see {@link StopSignal}); in
 * the latter case it returns true and the loop must return without doing more.
 *
 * <p>The fingerprint is whatever must not change between the interrupted run and its resumption:
 * usually every command-line flag except the checkpoint flags themselves, and a hash of the data.
 */
public final class TrainingRun implements AutoCloseable {

    /**
     * Where and how often to checkpoint.
     *
     * @param dir    the checkpoint folder (created on first write)
     * @param every  how often; {@link CheckpointEvery#DEFAULT} is every 10 minutes
     * @param keep   how many checkpoints to keep ({@link Checkpointer#DEFAULT_KEEP})
     * @param resume load the newest checkpoint of {@code dir} and continue from it
     */
    public record Options(Path dir, CheckpointEvery every, int keep, boolean resume) {
        public Options {
            if (dir == null) throw new IllegalArgumentException("checkpoint dir must be given");
            if (every == null) every = CheckpointEvery.DEFAULT;
            if (keep < 1) throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keep);
        }
    }

    private final Options options;
    private final Checkpointer checkpointer;
    private final StopSignal stop;
    private final boolean ownsStop;
    private final Consumer<String> log;
    private final Checkpointer.Loaded resumed;
    private long lastSaveNanos;
    private Path lastCheckpoint;

    private TrainingRun(Options options, Checkpointer checkpointer, StopSignal stop, boolean ownsStop, Consumer<String> log,
                        Checkpointer.Loaded resumed) {
        this.options = options;
        this.checkpointer = checkpointer;
        this.stop = stop;
        this.ownsStop = ownsStop;
        this.log = log;
        this.resumed = resumed;
        this.lastCheckpoint = resumed == null ? null : resumed.file();
        this.lastSaveNanos = System.nanoTime();
    }

    /** Opens a run that handles SIGINT and SIGTERM (see {@link StopSignal#install()}). */
    public static TrainingRun open(Options options, Map<String, String> fingerprint, Consumer<String> log) throws IOException {
        StopSignal stop = StopSignal.install();
        try {
            return open(options, fingerprint, log, stop, true);
        } catch (IOException | RuntimeException e) {
            stop.close();
            throw e;
        }
    }

    /** Opens a run whose stop requests come from {@code stop} (for tests and embedding; not closed by this run). */
    public static TrainingRun open(Options options, Map<String, String> fingerprint, Consumer<String> log, StopSignal stop)
            throws IOException {
        return open(options, fingerprint, log, stop, false);
    }

    private static TrainingRun open(Options options, Map<String, String> fingerprint, Consumer<String> log, StopSignal stop,
                                    boolean ownsStop) throws IOException {
        Consumer<String> out = log == null ? s -> { } : log;
        Checkpointer cp = new Checkpointer(options.dir(), fingerprint, options.keep());
        cp.deleteTemporaryFiles();
        Checkpointer.Loaded loaded = null;
        if (options.resume()) {
            loaded = cp.loadLatest(out);
            out.accept("resuming from " + loaded.file() + " (step " + loaded.checkpoint().step() + ")");
        } else {
            List<Path> existing = cp.files();
            if (!existing.isEmpty()) {
                throw new CheckpointException(options.dir() + " holds checkpoints of an unfinished run (newest: "
                        + existing.getLast().getFileName() + "); add --resume " + options.dir()
                        + " to continue it, or delete the folder to start over");
            }
        }
        return new TrainingRun(options, cp, stop, ownsStop, out, loaded);
    }

    /** The checkpoint to continue from, or null for a fresh run. */
    public Checkpoint resumed() {
        return resumed == null ? null : resumed.checkpoint();
    }

    /** The file {@link #resumed()} came from, or null. */
    public Path resumedFrom() {
        return resumed == null ? null : resumed.file();
    }

    public Checkpointer checkpointer() {
        return checkpointer;
    }

    public Options options() {
        return options;
    }

    /** The stop request this run watches. */
    public StopSignal stopSignal() {
        return stop;
    }

    /**
     * Call after every completed step. Writes a checkpoint if one is due or a stop was requested.
     *
     * @param step     the number of steps completed so far (the checkpoint's step)
     * @param snapshot builds the checkpoint; called only when one is written
     * @return true if a stop was requested: the checkpoint has been written and the loop must return
     */
    public boolean afterStep(long step, Supplier<Checkpoint> snapshot) throws IOException {
        boolean stopping = stop.requested();
        if (stopping || options.every().due(step, Duration.ofNanos(System.nanoTime() - lastSaveNanos))) {
            save(snapshot.get());
        }
        return stopping;
    }

    /** Writes {@code ck} now, whatever the schedule says. */
    public Path save(Checkpoint ck) throws IOException {
        lastCheckpoint = checkpointer.save(ck);
        lastSaveNanos = System.nanoTime();
        return lastCheckpoint;
    }

    /** True once a stop was requested (SIGINT, SIGTERM or {@link StopSignal#request()}). */
    public boolean stopRequested() {
        return stop.requested();
    }

    /** 130 after SIGINT, 143 after SIGTERM, as a shell reports them. */
    public int stopExitCode() {
        return stop.exitCode();
    }

    /** The newest checkpoint written or resumed from in this run, or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /**
     * A sentence for the user after a stop: where the checkpoint is and how to continue
     * ({@code command} is the command line to repeat, e.g. {@code "rnn4j fit --model ..."}).
     */
    public String resumeHint(String command) {
        String with = command.contains("--resume") ? command : command + " --resume " + options.dir();
        return "stopped (" + (stop.cause() == null ? "request" : stop.cause()) + ") after writing checkpoint " + lastCheckpoint
                + "; to continue, run the same command with --resume " + options.dir() + ":\n  " + with;
    }

    /** A sentence naming the last good checkpoint, for failure messages. */
    public String lastCheckpointNote() {
        return lastCheckpoint == null ? "no checkpoint was written yet"
                : "the last good checkpoint is " + lastCheckpoint + " (resume with --resume " + options.dir() + ")";
    }

    /**
     * The run finished and its result is saved: deletes its checkpoints (and the folder if empty), so
     * that the next run in the same folder starts fresh.
     */
    public void complete() throws IOException {
        checkpointer.deleteAll();
        lastCheckpoint = null;
    }

    /** Restores the signal handlers this run installed. */
    @Override
    public void close() {
        if (ownsStop) stop.close();
    }

    /** Log line helper for loops that want to say something through the run's log. */
    public void note(String line) {
        log.accept(line);
    }
}
