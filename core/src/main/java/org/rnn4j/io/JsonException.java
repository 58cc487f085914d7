package org.rnn4j.io;

/**
 * Text that is not valid JSON. The message names the problem and where it is: {@code "expected ','
 * or '}' after an object member, got 'x' at line 1, column 12 (position 11)"}.
 */
public class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String problem;

    public JsonException(String problem, int position, int line, int column) {
        super(problem + " at line " + line + ", column " + column + " (position " + position + ")");
        this.problem = problem;
        this.position = position;
    }

    /** Index of the offending character in the text, counted from 0. */
    public int position() {
        return position;
    }

    /** The message without the position. */
    public String problem() {
        return problem;
    }

    /** An object with the same key twice: ambiguous, so rejected (and a duplicate tensor name in safetensors). */
    public static final class DuplicateKey extends JsonException {
        private static final long serialVersionUID = 1L;

        private final String key;

        public DuplicateKey(String key, int position, int line, int column) {
            super("duplicate key " + FormatException.quote(key), position, line, column);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
