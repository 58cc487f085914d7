package org.rnn4j.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.io.FormatException;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), C order,
 * little-endian, for the element types of {@link NpyArray.Dtype}.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and minor version byte, the header length
 * (unsigned little-endian; 2 bytes in 1.0, 4 bytes in 2.0 and 3.0), then the header: a Python
 * dictionary literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} (latin-1,
 * UTF-8 in 3.0) padded with spaces and ended by a newline; then the raw data.
 *
 * <p>Files are checked strictly, because a file that is read "mostly right" corrupts a model
 * silently: header keys, descriptor, byte order, Fortran order, data length (neither short nor
 * with trailing bytes) all raise a {@link FormatException} naming the file and what was expected.
 * Nothing larger than the file itself is ever allocated. Writes match {@code np.save} byte for byte
 * and go through {@link AtomicFiles}.
 */
public final class Npy {
    /** Largest header accepted; NumPy's own reader refuses more than 10000 bytes by default. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to 64 bytes so that it can be memory-mapped. */
    private static final int ALIGN = 64;
    /** NumPy leaves room for the first dimension to grow to 21 digits, so headers can be rewritten in place. */
    private static final int GROWTH_DIGITS = 21;
    private static final int CHUNK_BYTES = 1 << 16;
    private static final String SUPPORTED = "float32, float64, int32, int64, int8, uint8, bool";

    private Npy() {}

    // ---------------------------------------------------------------- reading

    /** Reads a {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer start = ByteBuffer.allocate((int) Math.min(size, 12)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, start, 0);
            checkMagic(file, start.array(), size);
            int major = start.get(6) & 0xff;
            int minor = start.get(7) & 0xff;
            if (minor != 0 || major < 1 || major > 3) {
                throw new FormatException(file, "unsupported .npy format version " + major + "." + minor
                        + "; expected 1.0, 2.0 or 3.0");
            }
            int preamble = major == 1 ? 10 : 12;
            if (size < preamble) {
                throw new FormatException(file, "file is " + size + " bytes, too short for the " + preamble
                        + "-byte preamble of a version " + major + ".0 .npy file; it is truncated");
            }
            long headerLength = major == 1 ? start.getShort(8) & 0xffffL : start.getInt(8) & 0xffffffffL;
            if (headerLength > size - preamble) {
                throw new FormatException(file, "header length " + headerLength + " bytes runs past the end of the file ("
                        + size + " bytes, so at most " + (size - preamble) + " header bytes); the file is truncated");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new FormatException(file, "header length " + headerLength + " bytes exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            readFully(file, channel, ByteBuffer.wrap(headerBytes), preamble);
            String headerText = decodeHeader(file, headerBytes, major);
            Header header = parseHeader(file, headerText);

            long dataStart = preamble + headerLength;
            long needed = (long) header.size * header.dtype.bytes();
            long available = size - dataStart;
            if (available < needed) {
                throw new FormatException(file, "data is truncated: " + header.dtype.numpyName() + " shape "
                        + Tensor.shapeString(header.shape) + " needs " + needed + " bytes after the header, but the file has only "
                        + available);
            }
            if (available > needed) {
                throw new FormatException(file, (available - needed) + " bytes of trailing garbage after the data: "
                        + header.dtype.numpyName() + " shape " + Tensor.shapeString(header.shape) + " needs " + needed
                        + " bytes after the header, the file has " + available);
            }
            Object data = readData(file, channel, dataStart, header.dtype, header.size);
            return NpyArray.of(header.dtype, data, header.shape);
        }
    }

    /** Reads a {@code .npy} file as a float32 tensor, converting float64 and integer data. */
    public static Tensor readTensor(Path file) throws IOException {
        return read(file).toTensor();
    }

    private static void checkMagic(Path file, byte[] start, long size) throws FormatException {
        int n = Math.min(start.length, MAGIC.length);
        boolean matches = true;
        for (int i = 0; i < n; i++) matches &= start[i] == MAGIC[i];
        if (!matches) {
            if (n >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
                throw new FormatException(file, "this is a zip archive (an .npz file?), not a .npy file;"
                        + " expected the magic \\x93NUMPY at the start");
            }
            throw new FormatException(file, "not a .npy file: expected the magic \\x93NUMPY at the start, got "
                    + escapeBytes(start, n));
        }
        if (size < 10) {
            throw new FormatException(file, "file is " + size + " bytes, too short for a .npy header (at least 10); it is truncated");
        }
    }

    private static String decodeHeader(Path file, byte[] bytes, int major) throws FormatException {
        if (major < 3) return new String(bytes, StandardCharsets.ISO_8859_1);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "version 3.0 header is not valid UTF-8", e);
        }
    }

    private record Header(NpyArray.Dtype dtype, int[] shape, int size) {}

    private static Header parseHeader(Path file, String text) throws FormatException {
        Map<String, Object> dict;
        try {
            dict = new LiteralParser(text).dictionary();
        } catch (LiteralParser.Bad e) {
            throw new FormatException(file, "header is not a valid Python dictionary literal: " + e.getMessage()
                    + " at position " + e.position + " of " + FormatException.quote(text));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new FormatException(file, "header lacks the key '" + key + "'; expected 'descr', 'fortran_order' and 'shape', got "
                        + dict.keySet());
            }
        }
        for (String key : dict.keySet()) {
            if (!Set.of("descr", "fortran_order", "shape").contains(key)) {
                throw new FormatException(file, "header has the unexpected key " + FormatException.quote(key)
                        + "; expected only 'descr', 'fortran_order' and 'shape'");
            }
        }

        Object descr = dict.get("descr");
        if (descr instanceof List<?>) {
            throw new FormatException(file, "structured dtypes (record arrays) are not supported; expected one of " + SUPPORTED);
        }
        if (!(descr instanceof String d)) {
            throw new FormatException(file, "header 'descr' must be a string such as '<f4', got " + descr);
        }
        NpyArray.Dtype dtype = dtype(file, d);

        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new FormatException(file, "header 'shape' must be a tuple of integers, got " + dict.get("shape"));
        }
        int[] shape = new int[dims.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new FormatException(file, "header 'shape' must be a tuple of non-negative integers, got " + dims);
            }
            if (dim > Integer.MAX_VALUE) {
                throw new FormatException(file, "dimension " + i + " of shape " + dims + " is " + dim
                        + "; a Java array holds at most 2^31-9 elements");
            }
            shape[i] = (int) (long) dim;
            size = size == 0 || dim == 0 ? 0 : Math.min(size * dim, Long.MAX_VALUE / Integer.MAX_VALUE);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new FormatException(file, "shape " + Tensor.shapeString(shape)
                    + " has more than 2^31-9 elements, which is more than a Java array holds");
        }

        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new FormatException(file, "header 'fortran_order' must be True or False, got " + dict.get("fortran_order"));
        }
        if (fortran && !orderIrrelevant(shape)) {
            throw new FormatException(file, "Fortran order is not supported (shape " + Tensor.shapeString(shape)
                    + "); save with np.save(path, np.ascontiguousarray(a))");
        }
        return new Header(dtype, shape, (int) size);
    }

    /** C and Fortran order coincide when at most one dimension exceeds 1. */
    private static boolean orderIrrelevant(int[] shape) {
        int big = 0;
        for (int d : shape) {
            if (d == 0) return true;
            if (d > 1) big++;
        }
        return big <= 1;
    }

    private static NpyArray.Dtype dtype(Path file, String descr) throws FormatException {
        if (descr.length() >= 2) {
            char order = descr.charAt(0);
            String kind = descr.substring(1);
            for (NpyArray.Dtype t : NpyArray.Dtype.values()) {
                if (!t.descr().substring(1).equals(kind)) continue;
                if (order == '<' || (order == '|' && t.bytes() == 1)) return t;
                if (order == '>' && t.bytes() == 1) return t;
                if (order == '>') {
                    throw new FormatException(file, "big-endian dtype '" + descr + "' is not supported; save with "
                            + "a.astype('<" + kind + "')");
                }
                throw new FormatException(file, "dtype '" + descr + "' has byte order '" + order
                        + "'; expected '<' (little-endian) for " + t.numpyName());
            }
            if (kind.equals("O") || kind.startsWith("O")) {
                throw new FormatException(file, "object arrays (dtype '" + descr + "') are not supported: they hold"
                        + " pickled Python objects; expected one of " + SUPPORTED);
            }
        }
        throw new FormatException(file, "dtype " + FormatException.quote(descr).replace('"', '\'')
                + " is not supported; expected one of " + SUPPORTED);
    }

    private static Object readData(Path file, FileChannel channel, long position, NpyArray.Dtype dtype, int size)
            throws IOException {
        int itemBytes = dtype.bytes();
        int perChunk = CHUNK_BYTES / itemBytes;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Object data = switch (dtype) {
            case FLOAT32 -> new float[size];
            case FLOAT64 -> new double[size];
            case INT64 -> new long[size];
            case INT32, INT8, UINT8, BOOL -> new int[size];
        };
        for (int start = 0; start < size; start += perChunk) {
            int count = Math.min(perChunk, size - start);
            buf.clear().limit(count * itemBytes);
            readFully(file, channel, buf, position + (long) start * itemBytes);
            buf.flip();
            switch (dtype) {
                case FLOAT32 -> buf.asFloatBuffer().get((float[]) data, start, count);
                case FLOAT64 -> buf.asDoubleBuffer().get((double[]) data, start, count);
                case INT64 -> buf.asLongBuffer().get((long[]) data, start, count);
                case INT32 -> buf.asIntBuffer().get((int[]) data, start, count);
                case INT8 -> {
                    int[] out = (int[]) data;
                    for (int i = 0; i < count; i++) out[start + i] = buf.get(i);
                }
                case UINT8 -> {
                    int[] out = (int[]) data;
                    for (int i = 0; i < count; i++) out[start + i] = buf.get(i) & 0xff;
                }
                case BOOL -> {
                    int[] out = (int[]) data;
                    for (int i = 0; i < count; i++) out[start + i] = buf.get(i) != 0 ? 1 : 0;
                }
            }
        }
        return data;
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int read = channel.read(buf, at);
            if (read < 0) throw new FormatException(file, "file ended early at byte " + at + "; it was truncated while being read");
            at += read;
        }
    }

    private static String escapeBytes(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder("b'");
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\'' && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        return sb.append('\'').toString();
    }

    // ---------------------------------------------------------------- writing

    /** Writes a float32 tensor. */
    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, NpyArray.ofFloats(tensor.data(), tensor.shape()));
    }

    public static void writeDoubles(Path file, double[] data, int... shape) throws IOException {
        write(file, NpyArray.ofDoubles(data, shape));
    }

    public static void writeInts(Path file, int[] data, int... shape) throws IOException {
        write(file, NpyArray.ofInts(data, shape));
    }

    public static void writeLongs(Path file, long[] data, int... shape) throws IOException {
        write(file, NpyArray.ofLongs(data, shape));
    }

    /** Writes any {@link NpyArray}: format 1.0, or 2.0 if the header is too long for 1.0, like {@code np.save}. */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] header = header(array.dtype(), array.shape());
        AtomicFiles.write(file, out -> {
            out.write(header);
            writeData(out, array);
        });
    }

    /** Magic, version, length and padded header, exactly as NumPy 1.24's {@code np.save} writes them. */
    static byte[] header(NpyArray.Dtype dtype, int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': ").append(Tensor.shapeString(shape)).append(", }");
        if (shape.length > 0) dict.repeat(' ', GROWTH_DIGITS - Integer.toString(shape[0]).length());
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int prefix = 10;
        int padded = paddedLength(prefix, text.length);
        if (padded > 0xffff) {
            major = 2;
            prefix = 12;
            padded = paddedLength(prefix, text.length);
        }
        ByteBuffer out = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) out.putShort((short) padded);
        else out.putInt(padded);
        out.put(text);
        while (out.position() < out.capacity() - 1) out.put((byte) ' ');
        out.put((byte) '\n');
        return out.array();
    }

    /** Header length including padding and newline; like NumPy, an already aligned header still gets a full block. */
    private static int paddedLength(int prefix, int textLength) {
        int withNewline = textLength + 1;
        int pad = ALIGN - ((prefix + withNewline) % ALIGN);
        return withNewline + pad;
    }

    private static void writeData(OutputStream out, NpyArray array) throws IOException {
        NpyArray.Dtype dtype = array.dtype();
        int size = array.size();
        int perChunk = CHUNK_BYTES / dtype.bytes();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Object data = array.data();
        for (int start = 0; start < size; start += perChunk) {
            int count = Math.min(perChunk, size - start);
            buf.clear();
            switch (dtype) {
                case FLOAT32 -> buf.asFloatBuffer().put((float[]) data, start, count);
                case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data, start, count);
                case INT64 -> buf.asLongBuffer().put((long[]) data, start, count);
                case INT32 -> buf.asIntBuffer().put((int[]) data, start, count);
                case INT8, UINT8, BOOL -> {
                    int[] in = (int[]) data;
                    for (int i = 0; i < count; i++) buf.put(i, (byte) in[start + i]);
                }
            }
            out.write(buf.array(), 0, count * dtype.bytes());
        }
    }

    // ---------------------------------------------------------------- header literal

    /**
     * The subset of Python literal syntax NumPy headers use: dicts, tuples, lists, strings, ints,
     * True, False, None. Nesting is limited so a hostile header cannot overflow the stack.
     */
    private static final class LiteralParser {
        private static final int MAX_DEPTH = 16;

        static final class Bad extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final int position;

            Bad(String message, int position) {
                super(message, null, false, false);
                this.position = position;
            }
        }

        private final String s;
        private int pos;
        private int depth;

        LiteralParser(String s) {
            this.s = s;
        }

        Map<String, Object> dictionary() {
            skipSpace();
            if (!peek('{')) throw new Bad("expected '{', got " + describe(), pos);
            Object value = value();
            skipSpace();
            if (pos < s.length()) throw new Bad("unexpected " + describe() + " after the dictionary", pos);
            @SuppressWarnings("unchecked")
            Map<String, Object> dict = (Map<String, Object>) value;
            return dict;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) throw new Bad("expected a value, got the end of the header", pos);
            char c = s.charAt(pos);
            if (c == '{') return dict();
            if (c == '(') return sequence('(', ')');
            if (c == '[') return sequence('[', ']');
            if (c == '\'' || c == '"') return string();
            if (c == '-' || (c >= '0' && c <= '9')) return integer();
            if (word("True")) return Boolean.TRUE;
            if (word("False")) return Boolean.FALSE;
            if (word("None")) return null;
            throw new Bad("expected a value, got " + describe(), pos);
        }

        private Map<String, Object> dict() {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek('}')) {
                    pos++;
                    depth--;
                    return map;
                }
                int keyAt = pos;
                if (!peek('\'') && !peek('"')) throw new Bad("expected a string key, got " + describe(), pos);
                String key = string();
                if (map.containsKey(key)) throw new Bad("duplicate key " + FormatException.quote(key), keyAt);
                skipSpace();
                if (!peek(':')) throw new Bad("expected ':', got " + describe(), pos);
                pos++;
                map.put(key, value());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw new Bad("expected ',' or '}', got " + describe(), pos);
                }
            }
        }

        /** A tuple or list, as a List; {@code (x)} without a comma is just x, as in Python. */
        private Object sequence(char open, char close) {
            enter();
            pos++;
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            while (true) {
                skipSpace();
                if (peek(close)) {
                    pos++;
                    depth--;
                    return open == '(' && items.size() == 1 && !comma ? items.get(0) : items;
                }
                items.add(value());
                skipSpace();
                if (peek(',')) {
                    pos++;
                    comma = true;
                } else if (!peek(close)) {
                    throw new Bad("expected ',' or '" + close + "', got " + describe(), pos);
                }
            }
        }

        private String string() {
            char quote = s.charAt(pos);
            int start = pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw new Bad("unterminated string", start);
                char c = s.charAt(pos++);
                if (c == quote) return sb.toString();
                if (c == '\\') {
                    if (pos >= s.length()) throw new Bad("unterminated string", start);
                    char e = s.charAt(pos++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case '0' -> '\0';
                        default -> e;
                    });
                } else if (c == '\n') {
                    throw new Bad("unterminated string", start);
                } else {
                    sb.append(c);
                }
            }
        }

        private Long integer() {
            int start = pos;
            if (peek('-')) pos++;
            int digits = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            if (pos == digits) throw new Bad("expected a digit, got " + describe(), pos);
            String text = s.substring(start, pos);
            if (peek('L')) pos++; // Python 2 wrote long integers as 3L.
            if (pos < s.length() && (peek('.') || peek('e') || peek('E') || peek('j'))) {
                throw new Bad("expected an integer, got a number with '" + s.charAt(pos) + "'", pos);
            }
            if (pos - digits > 18) throw new Bad("integer " + FormatException.quote(text) + " is too large", start);
            return Long.parseLong(text);
        }

        private boolean word(String w) {
            if (!s.startsWith(w, pos)) return false;
            int end = pos + w.length();
            if (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) return false;
            pos = end;
            return true;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) throw new Bad("nested deeper than " + MAX_DEPTH + " levels", pos);
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) pos++;
        }

        private String describe() {
            if (pos >= s.length()) return "the end of the header";
            char c = s.charAt(pos);
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }
    }
}
