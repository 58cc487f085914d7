package org.rnn4j.train;

import java.io.IOException;

/**
 * A training loop that runs under a {@link TrainingRun}: it can continue from a checkpoint and it calls
 * {@link TrainingRun#afterStep} after every step, so it writes checkpoints when they are due and stops
 * cleanly when asked. {@link FitLoop} is one; the applications' trainers are others.
 */
public interface ResumableLoop {
    /** Continues from a checkpoint; an {@link IllegalArgumentException} names what does not fit. */
    void restore(Checkpoint checkpoint);

    /**
     * Trains to the end (true) or until a stop was requested and a checkpoint written (false).
     *
     * @throws DivergenceException when the divergence guard gives up
     */
    boolean run(TrainingRun run) throws IOException;
}
