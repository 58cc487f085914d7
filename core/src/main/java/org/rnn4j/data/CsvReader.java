package org.rnn4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Streaming reader of comma-separated values as in RFC 4180, with a required header row.
 *
 * <p>What is accepted: fields separated by the delimiter (comma by default); fields in double quotes,
 * which may hold delimiters, line breaks and doubled quotes ({@code ""} for one {@code "}); spaces or
 * tabs around a quoted field (ignored); records ended by LF, CRLF or a lone CR; a final record with or
 * without a line break; UTF-8 text with or without a byte-order mark. Blank lines (no characters at
 * all) are skipped rather than read as one empty field, because they are almost always stray and a
 * one-field record would only be useful in a one-column file. Unquoted fields are returned exactly as
 * written (not trimmed); header names are trimmed of surrounding spaces.
 *
 * <p>What is an error, as a {@link CsvException} naming the file and line: an empty file; a quote that
 * is never closed (reported at the line where it opened); a character other than a delimiter or line
 * break right after a closing quote; a record whose field count differs from the header's; invalid
 * UTF-8 (reported at the line of the first bad byte); a record longer than
 * {@link Options#maxRecordChars()} characters, which is nearly always an unclosed quote swallowing the
 * rest of the file; duplicate column names in the header.
 *
 * <p>The reader holds only the current record, so any file size can be streamed with {@link #next()};
 * {@link #readTable} collects all records into a {@link CsvTable}.
 */
public final class CsvReader implements Closeable {

    /**
     * Reading options.
     *
     * @param delimiter the field separator: {@code ','} for CSV, {@code '\t'} for TSV, {@code ';'} for
     *     European spreadsheets; never a quote, CR or LF
     * @param maxRecordChars the longest record accepted, in characters, as a guard against runaway quotes
     */
    public record Options(char delimiter, int maxRecordChars) {
        /** One mebibyte of characters. */
        public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;

        public Options {
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
                throw new IllegalArgumentException("delimiter must not be a quote or line break, got "
                        + printable(delimiter));
            }
            if (maxRecordChars <= 0) {
                throw new IllegalArgumentException("maxRecordChars must be > 0, got " + maxRecordChars);
            }
        }

        /** Comma-separated, records up to one mebibyte. */
        public static Options defaults() {
            return new Options(',', DEFAULT_MAX_RECORD_CHARS);
        }

        /** The same options with another delimiter. */
        public Options withDelimiter(char newDelimiter) {
            return new Options(newDelimiter, maxRecordChars);
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final String source;
    private final Options options;
    private final List<String> header;

    private final char[] buf = new char[8192];
    private int bufPos;
    private int bufLen;

    private long line = 1; // line the reader is on now
    private long recordLine; // line where the last returned record started
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();

    private CsvReader(Reader in, String source, Options options) throws IOException {
        this.in = in;
        this.source = source;
        this.options = options;
        List<String> first;
        try {
            if (peek() == '\uFEFF') read(); // a byte-order mark is not part of the first column name
            first = readRecord();
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
        if (first == null) {
            closeQuietly(in, null);
            throw new CsvException(source, 0, "the file is empty; expected a header row naming the columns");
        }
        List<String> names = new ArrayList<>(first.size());
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new java.util.LinkedHashSet<>();
        for (String name : first) {
            String trimmed = name.strip();
            if (!seen.add(trimmed)) duplicates.add(trimmed);
            names.add(trimmed);
        }
        if (!duplicates.isEmpty()) {
            closeQuietly(in, null);
            throw new CsvException(source, recordLine, "the header names a column more than once: "
                    + String.join(", ", quoteAll(duplicates)) + " (is the first line a header row naming the columns?)");
        }
        this.header = Collections.unmodifiableList(names);
    }

    /** Opens a UTF-8 file (a byte-order mark is skipped) and reads its header. */
    public static CsvReader open(Path file, Options options) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return open(in, file.toString(), options);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
    }

    /**
     * Reads UTF-8 bytes (a byte-order mark is skipped; invalid bytes are an error naming the line).
     *
     * @param source the name used in error messages, e.g. the file or resource name
     */
    public static CsvReader open(InputStream in, String source, Options options) throws IOException {
        return new CsvReader(new StrictUtf8Reader(in), source, options);
    }

    /**
     * Reads already decoded text; a leading byte-order mark character (U+FEFF) is skipped.
     *
     * @param source the name used in error messages
     */
    public static CsvReader open(Reader in, String source, Options options) throws IOException {
        return new CsvReader(in, source, options);
    }

    /**
     * Guesses the delimiter from a file's first line: whichever of comma, semicolon, tab and vertical bar
     * occurs most often outside quotes (comma when none occurs). Reads at most 64 KiB.
     */
    public static char detectDelimiter(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(1 << 16);
            return detectDelimiter(new String(head, StandardCharsets.UTF_8));
        }
    }

    /** {@link #detectDelimiter(Path)} on text already read: only its first line counts. */
    public static char detectDelimiter(String text) {
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') quoted = !quoted;
            if (quoted) continue;
            if (c == '\n' || c == '\r') break;
            for (int k = 0; k < candidates.length; k++) if (c == candidates[k]) counts[k]++;
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) if (counts[k] > counts[best]) best = k;
        return candidates[best];
    }

    /** Reads a whole UTF-8 file into a table; it must have a header and at least one data row. */
    public static CsvTable readTable(Path file, Options options) throws IOException {
        try (CsvReader reader = open(file, options)) {
            return reader.readAll();
        }
    }

    /** {@link #readTable(Path, Options)} with default options. */
    public static CsvTable readTable(Path file) throws IOException {
        return readTable(file, Options.defaults());
    }

    /** Reads a whole UTF-8 stream into a table (the stream is closed); {@code source} names it in errors. */
    public static CsvTable readTable(InputStream in, String source, Options options) throws IOException {
        try (CsvReader reader = open(in, source, options)) {
            return reader.readAll();
        }
    }

    /** Reads whole text into a table; {@code source} names it in errors. */
    public static CsvTable readTable(Reader in, String source, Options options) throws IOException {
        try (CsvReader reader = open(in, source, options)) {
            return reader.readAll();
        }
    }

    /** The column names, trimmed, in file order. */
    public List<String> header() {
        return header;
    }

    /** The name of the input used in messages. */
    public String source() {
        return source;
    }

    /** The 1-based line on which the record last returned by {@link #next()} (or the header) started. */
    public long recordLine() {
        return recordLine;
    }

    /**
     * The next data record, with exactly as many fields as the header, or {@code null} at the end.
     *
     * @throws CsvException when the record is malformed or has the wrong number of fields
     */
    public String[] next() throws IOException {
        List<String> record = readRecord();
        if (record == null) return null;
        if (record.size() != header.size()) {
            throw new CsvException(source, recordLine, "expected " + header.size() + " fields as in the header, got "
                    + record.size() + (record.size() > header.size()
                            ? " (an unquoted " + describe(options.delimiter()) + " inside a value?)" : ""));
        }
        return record.toArray(new String[0]);
    }

    /** Reads the remaining records into a table; there must be at least one. */
    public CsvTable readAll() throws IOException {
        CsvTable.Builder builder = new CsvTable.Builder(source, header);
        String[] record;
        while ((record = next()) != null) {
            builder.add(record, recordLine);
        }
        if (builder.rowCount() == 0) {
            throw new CsvException(source, 0, "the file has a header (" + String.join(", ", header)
                    + ") but no data rows");
        }
        return builder.build();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---------------------------------------------------------------- parsing

    private int read() throws IOException {
        if (bufPos == bufLen) {
            try {
                bufLen = in.read(buf, 0, buf.length);
            } catch (MalformedUtf8Exception e) {
                throw new CsvException(source, line, e.getMessage());
            }
            bufPos = 0;
            if (bufLen <= 0) {
                bufLen = 0;
                return EOF;
            }
        }
        return buf[bufPos++];
    }

    private int peek() throws IOException {
        int c = read();
        if (c != EOF) bufPos--;
        return c;
    }

    private enum State { START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTED }

    /** One record as a list of fields, or null at end of input. Blank lines are skipped. */
    private List<String> readRecord() throws IOException {
        while (true) {
            fields.clear();
            field.setLength(0);
            State state = State.START;
            recordLine = line;
            long quoteLine = 0;
            int chars = 0;
            boolean any = false;
            char delimiter = options.delimiter();
            while (true) {
                int c = read();
                if (c == EOF) {
                    if (state == State.QUOTED) {
                        throw new CsvException(source, quoteLine, "a quoted value opened here is never closed");
                    }
                    if (!any) return null;
                    endField();
                    return new ArrayList<>(fields);
                }
                any = true;
                if (++chars > options.maxRecordChars()) {
                    throw new CsvException(source, recordLine, "the record starting here is longer than "
                            + options.maxRecordChars() + " characters"
                            + (state == State.QUOTED ? " (a quoted value opened at line " + quoteLine
                                    + " may be missing its closing quote)" : ""));
                }
                boolean lineBreak = c == '\n' || c == '\r';
                if (lineBreak) {
                    if (c == '\r') {
                        if (peek() == '\n') read();
                    }
                    line++;
                }
                switch (state) {
                    case START -> {
                        if (c == '"') {
                            state = State.QUOTED;
                            quoteLine = line;
                            field.setLength(0); // spaces before an opening quote are not data
                        } else if (c == delimiter) {
                            endField();
                        } else if (lineBreak) {
                            if (fields.isEmpty() && field.length() == 0) { // blank line: skip it
                                recordLine = line;
                                chars = 0;
                                any = false;
                                continue;
                            }
                            endField();
                            return new ArrayList<>(fields);
                        } else if (c == ' ' || c == '\t') {
                            field.append((char) c); // data, unless a quote follows
                        } else {
                            state = State.UNQUOTED;
                            field.append((char) c);
                        }
                    }
                    case UNQUOTED -> {
                        if (c == delimiter) {
                            endField();
                            state = State.START;
                        } else if (lineBreak) {
                            endField();
                            return new ArrayList<>(fields);
                        } else {
                            field.append((char) c);
                        }
                    }
                    case QUOTED -> {
                        if (c == '"') {
                            state = State.QUOTE_IN_QUOTED;
                        } else if (lineBreak) {
                            field.append('\n'); // line breaks inside values are normalised to LF
                        } else {
                            field.append((char) c);
                        }
                    }
                    case QUOTE_IN_QUOTED -> {
                        if (c == '"') {
                            field.append('"');
                            state = State.QUOTED;
                        } else if (c == delimiter) {
                            endField();
                            state = State.START;
                        } else if (lineBreak) {
                            endField();
                            return new ArrayList<>(fields);
                        } else if (c == ' ' || c == '\t') {
                            state = State.AFTER_QUOTED;
                        } else {
                            throw unexpectedAfterQuote(c);
                        }
                    }
                    case AFTER_QUOTED -> {
                        if (c == delimiter) {
                            endField();
                            state = State.START;
                        } else if (lineBreak) {
                            endField();
                            return new ArrayList<>(fields);
                        } else if (c != ' ' && c != '\t') {
                            throw unexpectedAfterQuote(c);
                        }
                    }
                }
            }
        }
    }

    private CsvException unexpectedAfterQuote(int c) {
        return new CsvException(source, line, "unexpected " + printable((char) c)
                + " after a closing quote; a quote inside a quoted value must be doubled (\"\")");
    }

    private void endField() {
        fields.add(field.toString());
        field.setLength(0);
    }

    // ---------------------------------------------------------------- helpers

    private static String printable(char c) {
        if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
        return String.format("U+%04X", (int) c);
    }

    private static String describe(char delimiter) {
        return switch (delimiter) {
            case ',' -> "comma";
            case '\t' -> "tab";
            case ';' -> "semicolon";
            default -> printable(delimiter);
        };
    }

    private static List<String> quoteAll(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) out.add("'" + n + "'");
        return out;
    }

    private static void closeQuietly(Closeable c, Throwable primary) {
        try {
            c.close();
        } catch (IOException e) {
            if (primary != null) primary.addSuppressed(e);
        }
    }

    /**
     * UTF-8 decoding that reports invalid bytes at their exact position: the characters before a bad
     * byte are delivered first, and the next read throws. (An {@code InputStreamReader} may throw while
     * characters decoded before the bad byte in the same chunk are still unread, which would put the
     * reported line number anywhere in the chunk.) The error is a {@link MalformedUtf8Exception}, which
     * the CSV reader turns into a {@link CsvException} with the line.
     */
    private static final class StrictUtf8Reader extends Reader {
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
        private boolean endOfInput;
        private boolean finished;
        private long bytesConsumed;
        private String pendingError;

        StrictUtf8Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (pendingError != null) throw new MalformedUtf8Exception(pendingError);
            if (finished) return -1;
            if (len == 0) return 0;
            CharBuffer out = CharBuffer.wrap(cbuf, off, len);
            while (true) {
                int before = bytes.position();
                CoderResult result = decoder.decode(bytes, out, endOfInput);
                bytesConsumed += bytes.position() - before;
                if (result.isError()) {
                    int bad = bytes.get(bytes.position()) & 0xff;
                    pendingError = String.format("invalid UTF-8: byte 0x%02X at byte offset %d", bad, bytesConsumed);
                    int produced = out.position() - off;
                    if (produced > 0) return produced;
                    throw new MalformedUtf8Exception(pendingError);
                }
                int produced = out.position() - off;
                if (produced > 0) return produced;
                if (result.isOverflow()) return produced; // len too small for a surrogate pair; not expected
                if (endOfInput) {
                    decoder.flush(out);
                    finished = true;
                    produced = out.position() - off;
                    return produced > 0 ? produced : -1;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Thrown by the UTF-8 decoder; carries the byte offset, and gets the line added by the reader. */
    static final class MalformedUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedUtf8Exception(String message) {
            super(message);
        }
    }
}
