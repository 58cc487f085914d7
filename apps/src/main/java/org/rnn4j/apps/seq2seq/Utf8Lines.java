package org.rnn4j.apps.seq2seq;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 text line by line, decoding each line separately so that invalid bytes are reported
 * with their own line number (a decoding Reader reports them at whatever line its buffer was on).
 * Lines end at LF; a CR before it is dropped; a byte-order mark at the start is skipped.
 */
public final class Utf8Lines implements AutoCloseable {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private int lineNo;
    private boolean eof;

    public Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** Thrown for a line that is not valid UTF-8; {@link #line()} is its 1-based number. */
    public static final class InvalidUtf8 extends IOException {
        private static final long serialVersionUID = 1L;
        private final int line;

        InvalidUtf8(int line) {
            super("line " + line + ": not valid UTF-8");
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** The next line without its terminator, or null at the end. */
    public String next() throws IOException {
        if (eof) return null;
        line.reset();
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    eof = true;
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            line.write(buf, start, pos - start);
            if (pos < end) {
                pos++;
                break;
            }
        }
        lineNo++;
        byte[] b = line.toByteArray();
        int n = b.length;
        if (n > 0 && b[n - 1] == '\r') n--;
        int off = 0;
        if (lineNo == 1 && n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) off = 3;
        try {
            return decoder.decode(ByteBuffer.wrap(b, off, n - off)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8(lineNo);
        }
    }

    /** Number of the line last returned (1-based). */
    public int lineNumber() {
        return lineNo;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
