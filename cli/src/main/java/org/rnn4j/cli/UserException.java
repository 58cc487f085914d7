package org.rnn4j.cli;

/** A problem with what the user gave us: printed as one line, exit code 2, no stack trace. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
