package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.io.FormatException;

/**
 * Streams a UTF-8 text file as Unicode code points, in constant memory, so files of any size can be
 * read. Strict: a malformed byte sequence or a NUL byte (the mark of a binary file) is a {@link
 * FormatException} naming the byte offset, never a silent replacement character. A leading byte-order
 * mark is skipped.
 */
public final class TextReader {
    private static final int CHUNK = 1 << 16;

    /** Receives code points in file order. */
    @FunctionalInterface
    public interface CodePointSink {
        void accept(int codePoint) throws IOException;
    }

    private TextReader() {}

    /**
     * Reads {@code file} and passes every code point to {@code sink}.
     *
     * @return the number of code points read
     * @throws FormatException for invalid UTF-8 or a NUL byte, naming the byte offset
     */
    public static long read(Path file, CodePointSink sink) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
        CharBuffer chars = CharBuffer.allocate(CHUNK + 2);
        Drain drain = new Drain(sink);
        long base = 0; // file offset of bytes.array()[0]
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            boolean eof = false;
            while (!eof) {
                int before = bytes.position();
                int n = ch.read(bytes);
                if (n < 0) {
                    eof = true;
                } else {
                    byte[] a = bytes.array();
                    for (int i = before; i < before + n; i++) {
                        if (a[i] == 0) {
                            throw new FormatException(file, "looks like a binary file: NUL byte at byte offset " + (base + i)
                                    + "; lm reads UTF-8 text");
                        }
                    }
                }
                bytes.flip();
                CoderResult r;
                do {
                    r = decoder.decode(bytes, chars, eof);
                    if (r.isError()) {
                        int at = bytes.position();
                        throw new FormatException(file, String.format("not valid UTF-8: byte 0x%02X at byte offset %d starts a malformed sequence"
                                + "; lm reads UTF-8 text (convert it first, e.g. with iconv)", bytes.get(at) & 0xFF, base + at));
                    }
                    drain.from(chars);
                } while (r.isOverflow());
                base += bytes.position();
                bytes.compact();
            }
            CoderResult r = decoder.flush(chars);
            if (r.isError()) throw new FormatException(file, "not valid UTF-8: truncated sequence at the end of the file");
            drain.from(chars);
        }
        drain.finish(file);
        return drain.count;
    }

    /** Turns UTF-16 chars into code points, pairing surrogates across buffer boundaries. */
    private static final class Drain {
        final CodePointSink sink;
        char high;
        long count;
        boolean first = true;

        Drain(CodePointSink sink) {
            this.sink = sink;
        }

        void from(CharBuffer chars) throws IOException {
            chars.flip();
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (high != 0) {
                    // The decoder only produces valid pairs; a lone high surrogate cannot reach here.
                    emit(Character.toCodePoint(high, c));
                    high = 0;
                } else if (Character.isHighSurrogate(c)) {
                    high = c;
                } else {
                    emit(c);
                }
            }
            chars.clear();
        }

        void emit(int cp) throws IOException {
            if (first) {
                first = false;
                if (cp == 0xFEFF) return; // byte-order mark
            }
            count++;
            sink.accept(cp);
        }

        void finish(Path file) throws FormatException {
            if (high != 0) throw new FormatException(file, "not valid UTF-8: unpaired surrogate at the end of the file");
        }
    }
}
