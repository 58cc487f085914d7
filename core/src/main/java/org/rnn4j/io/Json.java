package org.rnn4j.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedCollection;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * A small strict JSON (RFC 8259) reader and writer, because {@code core} depends on the JDK only.
 *
 * <p>Values map to plain Java objects: an object is a {@code LinkedHashMap<String, Object>} in
 * file order, an array a {@code List<Object>}, a number a {@link Long} when it is written without
 * fraction or exponent and fits, otherwise a {@link Double}; then {@link String}, {@link Boolean}
 * and {@code null}.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no leading zeros, no NaN, no
 * duplicate keys (they make a document ambiguous), no unpaired surrogates, nothing after the value,
 * and nesting at most {@value #DEFAULT_MAX_DEPTH} deep so hostile input cannot exhaust the stack.
 * Every error names the position.
 *
 * <p>The writer is deterministic: maps with a defined order ({@link SequencedMap}, such as {@code
 * LinkedHashMap} and {@code TreeMap}) are written in that order, other maps sorted by key. Doubles
 * are written in the shortest form that reads back to the same value; NaN and infinities are
 * rejected because JSON cannot represent them.
 */
public final class Json {
    /** Nesting limit for {@link #parse(String)}; model metadata needs a handful of levels. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Largest JSON file {@link #readFile(Path)} accepts. */
    public static final long MAX_FILE_BYTES = 100L << 20;

    private Json() {}

    /** Parses one JSON value; throws {@link JsonException} with the position on any error. */
    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /** Parses one JSON value, allowing at most {@code maxDepth} nested arrays and objects. */
    public static Object parse(String text, int maxDepth) {
        if (maxDepth < 1) throw new IllegalArgumentException("maxDepth must be >= 1, got " + maxDepth);
        return new Parser(text, maxDepth).document();
    }

    /** Reads a UTF-8 JSON file (a leading byte-order mark is skipped). */
    public static Object readFile(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new FormatException(file, "JSON file is " + size + " bytes; refusing files over " + MAX_FILE_BYTES + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = decodeUtf8(file, "JSON file", bytes, 0, bytes.length);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        try {
            return parse(text);
        } catch (JsonException e) {
            throw new FormatException(file, "invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as pretty JSON plus a final newline, atomically. */
    public static void writeFile(Path file, Object value) throws IOException {
        byte[] bytes = (writePretty(value) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Compact JSON: no whitespace at all. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false).value(value, null, 0);
        return sb.toString();
    }

    /** Indented JSON: two spaces per level, one member or element per line. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true).value(value, null, 0);
        return sb.toString();
    }

    /**
     * A JSON string literal for {@code s}, quotes included. Unpaired surrogates are escaped rather
     * than rejected, so this is safe for any Java string, for instance in error messages.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s, null);
        return sb.toString();
    }

    /**
     * Decodes strict UTF-8 (malformed or truncated sequences are errors, not replacement
     * characters) and names the byte where it goes wrong.
     */
    static String decodeUtf8(Path file, String what, byte[] bytes, int offset, int length) throws FormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            throw new FormatException(file, what + " is not valid UTF-8: bad byte sequence at byte " + (in.position() - offset));
        }
        return out.flip().toString();
    }

    // ---------------------------------------------------------------- parsing

    private static final class Parser {
        private final String s;
        private final int n;
        private final int maxDepth;
        private int pos;
        private int depth;

        Parser(String s, int maxDepth) {
            this.s = s;
            this.n = s.length();
            this.maxDepth = maxDepth;
        }

        Object document() {
            skipWhitespace();
            Object value = value();
            skipWhitespace();
            if (pos < n) throw error("unexpected " + describe(pos) + " after the JSON value", pos);
            return value;
        }

        private Object value() {
            if (pos >= n) throw error("expected a JSON value, got end of input", pos);
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("expected a JSON value, got " + describe(pos), pos);
                }
            };
        }

        private Map<String, Object> object() {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < n && s.charAt(pos) == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (pos >= n || s.charAt(pos) != '"') {
                    throw error("expected a string key in double quotes, got " + describe(pos), pos);
                }
                int keyPos = pos;
                String key = string();
                if (map.containsKey(key)) {
                    int[] lc = lineColumn(keyPos);
                    throw new JsonException.DuplicateKey(key, keyPos, lc[0], lc[1]);
                }
                skipWhitespace();
                if (pos >= n || s.charAt(pos) != ':') {
                    throw error("expected ':' after object key, got " + describe(pos), pos);
                }
                pos++;
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                if (pos < n && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < n && s.charAt(pos) == '}') {
                    pos++;
                    depth--;
                    return map;
                } else {
                    throw error("expected ',' or '}' after an object member, got " + describe(pos), pos);
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < n && s.charAt(pos) == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value());
                skipWhitespace();
                if (pos < n && s.charAt(pos) == ',') {
                    pos++;
                } else if (pos < n && s.charAt(pos) == ']') {
                    pos++;
                    depth--;
                    return list;
                } else {
                    throw error("expected ',' or ']' after an array element, got " + describe(pos), pos);
                }
            }
        }

        private void enter() {
            if (++depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels", pos);
        }

        private String string() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= n) throw error("unterminated string (it starts at position " + start + ")", pos);
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                } else if (c == '\\') {
                    escape(sb);
                } else if (c < 0x20) {
                    throw error("control character " + codePoint(c) + " must be escaped inside a string", pos);
                } else if (Character.isHighSurrogate(c)) {
                    if (pos + 1 >= n || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                        throw error("unpaired surrogate " + codePoint(c) + " in a string", pos);
                    }
                    sb.append(c).append(s.charAt(pos + 1));
                    pos += 2;
                } else if (Character.isLowSurrogate(c)) {
                    throw error("unpaired surrogate " + codePoint(c) + " in a string", pos);
                } else {
                    sb.append(c);
                    pos++;
                }
            }
        }

        private void escape(StringBuilder sb) {
            int at = pos;
            if (pos + 1 >= n) throw error("unterminated escape sequence", at);
            char e = s.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char c = hex4(at);
                    if (Character.isHighSurrogate(c)) {
                        int low = pos;
                        if (pos + 1 < n && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char d = hex4(low);
                            if (!Character.isLowSurrogate(d)) {
                                throw error("high surrogate \\u" + hex(c) + " is followed by \\u" + hex(d)
                                        + ", not by a low surrogate \\uDC00-\\uDFFF", at);
                            }
                            sb.append(c).append(d);
                        } else {
                            throw error("unpaired surrogate \\u" + hex(c) + ": a high surrogate must be followed by a \\u low surrogate", at);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        throw error("unpaired surrogate \\u" + hex(c) + ": a low surrogate must follow a high surrogate", at);
                    } else {
                        sb.append(c);
                    }
                }
                default -> throw error("invalid escape \\" + printable(e) + "; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at);
            }
        }

        /** Reads the four hex digits after a {@code \\u} (already consumed). */
        private char hex4(int escapeStart) {
            if (pos + 4 > n) throw error("\\u escape needs four hex digits", escapeStart);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
                if (d < 0 || s.charAt(pos + i) > 'f') {
                    throw error("\\u escape needs four hex digits, got " + describe(pos + i), pos + i);
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos < n && s.charAt(pos) == '0') {
                pos++;
                if (pos < n && isDigit(s.charAt(pos))) throw error("leading zeros are not allowed in numbers", start);
            } else if (pos < n && isDigit(s.charAt(pos))) {
                while (pos < n && isDigit(s.charAt(pos))) pos++;
            } else {
                throw error("expected a digit after '-', got " + describe(pos), pos);
            }
            boolean integral = true;
            if (pos < n && s.charAt(pos) == '.') {
                pos++;
                if (pos >= n || !isDigit(s.charAt(pos))) throw error("expected a digit after the decimal point, got " + describe(pos), pos);
                while (pos < n && isDigit(s.charAt(pos))) pos++;
                integral = false;
            }
            if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= n || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent, got " + describe(pos), pos);
                while (pos < n && isDigit(s.charAt(pos))) pos++;
                integral = false;
            }
            String text = s.substring(start, pos);
            if (integral && text.length() <= 20) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    // Too large for a long: falls through to a double, as documented.
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) throw error("number " + shorten(text) + " is too large for a double", start);
            return d;
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("expected a JSON value, got " + describe(pos), pos);
            pos += word.length();
            return value;
        }

        private void skipWhitespace() {
            while (pos < n) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        private String describe(int at) {
            if (at >= n) return "end of input";
            return printable(s.charAt(at));
        }

        private JsonException error(String problem, int at) {
            int[] lc = lineColumn(at);
            return new JsonException(problem, at, lc[0], lc[1]);
        }

        private int[] lineColumn(int at) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at && i < n; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new int[] {line, at - lineStart + 1};
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static String printable(char c) {
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : codePoint(c);
        }

        private static String codePoint(char c) {
            return "U+" + hex(c);
        }

        private static String hex(char c) {
            return String.format("%04X", (int) c);
        }

        private static String shorten(String text) {
            return text.length() > 40 ? text.substring(0, 40) + "..." : text;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Where a value sits in the document, for error messages like {@code $.stats.mean[3]}. */
    private record Where(Where parent, String key, int index) {
        @Override
        public String toString() {
            if (this.parent == null && key == null && index < 0) return "$";
            String up = parent == null ? "$" : parent.toString();
            return key != null ? up + "." + key : up + "[" + index + "]";
        }

        static String of(Where w) {
            return w == null ? "$" : w.toString();
        }
    }

    private static final class Writer {
        private final StringBuilder sb;
        private final boolean pretty;

        Writer(StringBuilder sb, boolean pretty) {
            this.sb = sb;
            this.pretty = pretty;
        }

        void value(Object v, Where where, int level) {
            switch (v) {
                case null -> sb.append("null");
                case Boolean b -> sb.append(b);
                case CharSequence cs -> appendQuoted(sb, cs.toString(), where);
                case Double d -> finite(d, where);
                case Float f -> {
                    if (!Float.isFinite(f)) throw notFinite(f, where);
                    sb.append(f.toString());
                }
                case Long l -> sb.append(l.longValue());
                case Integer i -> sb.append(i.intValue());
                case Short sh -> sb.append(sh.shortValue());
                case Byte by -> sb.append(by.byteValue());
                case BigInteger bi -> sb.append(bi);
                case BigDecimal bd -> sb.append(bd);
                case Map<?, ?> m -> map(m, where, level);
                case List<?> list -> elements(list, where, level);
                case SequencedCollection<?> c -> elements(c, where, level);
                case Collection<?> c -> throw new IllegalArgumentException("cannot write a " + c.getClass().getSimpleName()
                        + " at " + Where.of(where) + ": its order is not defined; use a List or a LinkedHashSet");
                case Object[] a -> elements(List.of(a), where, level);
                case double[] a -> {
                    List<Object> boxed = new ArrayList<>(a.length);
                    for (double x : a) boxed.add(x);
                    elements(boxed, where, level);
                }
                case float[] a -> {
                    List<Object> boxed = new ArrayList<>(a.length);
                    for (float x : a) boxed.add(x);
                    elements(boxed, where, level);
                }
                case long[] a -> {
                    List<Object> boxed = new ArrayList<>(a.length);
                    for (long x : a) boxed.add(x);
                    elements(boxed, where, level);
                }
                case int[] a -> {
                    List<Object> boxed = new ArrayList<>(a.length);
                    for (int x : a) boxed.add(x);
                    elements(boxed, where, level);
                }
                case boolean[] a -> {
                    List<Object> boxed = new ArrayList<>(a.length);
                    for (boolean x : a) boxed.add(x);
                    elements(boxed, where, level);
                }
                default -> throw new IllegalArgumentException("cannot write a value of type "
                        + v.getClass().getName() + " at " + Where.of(where) + " as JSON");
            }
        }

        private void finite(double d, Where where) {
            if (!Double.isFinite(d)) throw notFinite(d, where);
            // Double.toString gives the shortest decimal that reads back to the same double (JDK 19+).
            sb.append(Double.toString(d));
        }

        private static IllegalArgumentException notFinite(Object value, Where where) {
            return new IllegalArgumentException("cannot write " + value + " at " + Where.of(where)
                    + ": JSON has no NaN or Infinity; store it as null or a string");
        }

        private void map(Map<?, ?> m, Where where, int level) {
            Map<?, ?> ordered = m;
            if (!(m instanceof SequencedMap)) {
                TreeMap<String, Object> sorted = new TreeMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) sorted.put(key(e.getKey(), where), e.getValue());
                ordered = sorted;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ordered.entrySet()) {
                String key = key(e.getKey(), where);
                if (!first) sb.append(',');
                first = false;
                newline(level + 1);
                Where child = new Where(where, key, -1);
                appendQuoted(sb, key, child);
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), child, level + 1);
            }
            if (!first) newline(level);
            sb.append('}');
        }

        private static String key(Object key, Where where) {
            if (key instanceof String s) return s;
            throw new IllegalArgumentException("cannot write a map key of type "
                    + (key == null ? "null" : key.getClass().getName()) + " at " + Where.of(where) + ": JSON keys are strings");
        }

        private void elements(Iterable<?> items, Where where, int level) {
            sb.append('[');
            int i = 0;
            for (Object item : items) {
                if (i > 0) sb.append(',');
                newline(level + 1);
                value(item, new Where(where, null, i), level + 1);
                i++;
            }
            if (i > 0) newline(level);
            sb.append(']');
        }

        private void newline(int level) {
            if (!pretty) return;
            sb.append('\n');
            sb.repeat(' ', 2 * level);
        }
    }

    /**
     * Appends {@code s} as a JSON string literal. With {@code where} set (the writer), an unpaired
     * surrogate is an error because it has no UTF-8 encoding; without it (messages), it is escaped.
     */
    private static void appendQuoted(StringBuilder sb, String s, Where where) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        if (where != null) {
                            throw new IllegalArgumentException("cannot write the string at " + Where.of(where)
                                    + ": unpaired surrogate U+" + String.format("%04X", (int) c) + " at index " + i);
                        }
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
