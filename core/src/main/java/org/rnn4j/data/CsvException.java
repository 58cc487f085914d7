package org.rnn4j.data;

/**
 * A CSV file that cannot be read as a table: bad syntax, wrong field counts, invalid UTF-8, no header,
 * no rows, or an unknown column. The message names the file and, where there is one, the line.
 *
 * <p>It is an {@link IllegalArgumentException} because the file is the caller's input: a command line
 * tool reports it in one line and exits with a usage error, without a stack trace.
 */
public class CsvException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    /**
     * @param source the file name (or another label for the input) that the message is about
     * @param line the 1-based line number the problem is on, or 0 when it is not about one line
     * @param problem what is wrong, without the file and line (they are prefixed here)
     */
    public CsvException(String source, long line, String problem) {
        super(line > 0 ? source + ", line " + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file or label of the input. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when the problem is not tied to one line. */
    public long line() {
        return line;
    }
}
