package org.rnn4j.train;

import java.io.IOException;

/**
 * A run cannot be resumed or checkpointed as asked: no checkpoint in the folder, every checkpoint
 * corrupt, a checkpoint made with different settings, or a fresh run pointed at a folder that holds
 * an unfinished run. The message says what to do; the command line shows it as one line (exit 2).
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
