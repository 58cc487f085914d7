package org.rnn4j.train;

/**
 * Training stopped because it diverged: the loss or the gradient norm was NaN or infinite at too
 * many consecutive steps, or an update made a parameter non-finite. The message names the step(s)
 * and what was non-finite; nothing non-finite has been saved.
 */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;

    public DivergenceException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** The step at which training was stopped. */
    public long step() {
        return step;
    }
}
