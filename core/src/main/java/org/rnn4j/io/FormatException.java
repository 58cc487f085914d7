package org.rnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose bytes do not follow the format it claims (a truncated, corrupt or foreign
 * {@code .npy}, {@code .safetensors} or JSON file).
 *
 * <p>The message always starts with the file name, then says what was expected and what was
 * found, so it can be shown to a user as it is: {@code "/x/m.safetensors: tensor "a": data_offsets
 * [0, 12] hold 12 bytes, but F32 shape [2, 3] needs 24"}.
 */
public class FormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int QUOTE_LIMIT = 80;

    private final transient Path file;
    private final String problem;

    public FormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public FormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }

    /** The message without the file name. */
    public String problem() {
        return problem;
    }

    /**
     * Quotes a string taken from a file for use in a message: JSON escapes (so a hostile name
     * cannot forge extra lines) and at most 80 characters, because a name can be megabytes long.
     */
    public static String quote(String s) {
        if (s.length() > QUOTE_LIMIT) {
            return Json.quote(s.substring(0, QUOTE_LIMIT)) + "... (" + s.length() + " characters)";
        }
        return Json.quote(s);
    }
}
