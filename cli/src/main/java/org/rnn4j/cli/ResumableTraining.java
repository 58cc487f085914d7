package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.train.DivergenceException;
import org.rnn4j.train.ResumableLoop;
import org.rnn4j.train.TrainingRun;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every training command runs its loop under checkpoints: open the run (refusing a folder that
 * holds another unfinished run), restore when resuming, run, turn a divergence into one user-facing
 * line that names the last good checkpoint, print how to resume after Ctrl-C, and drop the checkpoints
 * once the result is saved. A command supplies its {@link ResumableLoop} and what "save the result" means.
 */
public final class ResumableTraining {

    /** Writes the finished run's outputs; the checkpoints are deleted only after it returns. */
    public interface Result {
        void save() throws IOException;
    }

    private ResumableTraining() {}

    /**
     * Runs {@code loop} to completion under the command's checkpoint flags.
     *
     * @param defaultDir  where checkpoints go when {@code --checkpoint-dir} is not given
     * @param fingerprint what must not change between an interrupted run and its resumption
     *                    ({@link CheckpointFlags#fingerprint})
     * @return 0 when the loop finished and the result was saved; otherwise the exit code of the stop
     *         (130 after SIGINT, 143 after SIGTERM), with the resume command printed
     */
    public static int run(CommandSpec spec, CheckpointFlags flags, Path defaultDir, Map<String, String> fingerprint,
                          ResumableLoop loop, Result result) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try (TrainingRun run = TrainingRun.open(flags.options(defaultDir), fingerprint, line -> {
            err.println(line);
            err.flush();
        })) {
            if (run.resumed() != null) {
                try {
                    loop.restore(run.resumed());
                } catch (IllegalArgumentException e) {
                    throw new UserException("cannot resume from " + run.resumedFrom() + ": " + e.getMessage());
                }
            }
            boolean finished;
            try {
                finished = loop.run(run);
            } catch (DivergenceException e) {
                throw new UserException(e.getMessage() + "; " + run.lastCheckpointNote());
            }
            if (!finished) {
                err.println(spec.qualifiedName() + ": " + run.resumeHint(CheckpointFlags.commandLine(spec)));
                err.flush();
                return run.stopExitCode();
            }
            result.save();
            run.complete();
            return 0;
        }
    }
}
