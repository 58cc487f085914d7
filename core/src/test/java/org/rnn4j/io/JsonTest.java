package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, -0, 0.0, true, false, null], \"b\": {}, \"c\": [], \"d\": \"x\"} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(m.keySet()));
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(3.5, a.get(2));
        assertEquals(1000.0, a.get(3));
        assertEquals(0L, a.get(4));
        assertEquals(0.0, a.get(5));
        assertEquals(Boolean.TRUE, a.get(6));
        assertEquals(Boolean.FALSE, a.get(7));
        assertNull(a.get(8));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
        assertEquals("x", m.get("d"));
    }

    @Test
    void integersBecomeLongsUntilTheyDoNotFit() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"));
        assertEquals(1e30, Json.parse("1000000000000000000000000000000"));
    }

    @Test
    void handlesEveryEscape() {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\u0000", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\u0000\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("grüße \uD83D\uDE00", Json.parse("\"grüße \uD83D\uDE00\""));
    }

    private static JsonException fails(String text, int position, String fragment) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text), text);
        assertEquals(position, e.position(), () -> "position in: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected \"" + fragment + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().contains("(position " + position + ")"), e.getMessage());
        return e;
    }

    @Test
    void reportsErrorsWithTheirPosition() {
        fails("", 0, "expected a JSON value, got end of input");
        fails("   ", 3, "expected a JSON value, got end of input");
        fails("{\"a\": 1} x", 9, "unexpected 'x' after the JSON value");
        fails("[1, 2,]", 6, "expected a JSON value, got ']'");
        fails("{\"a\": 1,}", 8, "expected a string key in double quotes, got '}'");
        fails("{'a': 1}", 1, "expected a string key in double quotes, got '''");
        fails("{\"a\" 1}", 5, "expected ':' after object key, got '1'");
        fails("[1 2]", 3, "expected ',' or ']' after an array element, got '2'");
        fails("{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}' after an object member");
        fails("\"abc", 4, "unterminated string (it starts at position 0)");
        fails("\"a\nb\"", 2, "control character U+000A must be escaped");
        fails("\"\\x\"", 1, "invalid escape \\'x'");
        fails("\"\\u12G4\"", 5, "\\u escape needs four hex digits, got 'G'");
        fails("\"\\ud83d\"", 1, "unpaired surrogate \\uD83D");
        fails("\"\\ude00\"", 1, "unpaired surrogate \\uDE00");
        fails("\"\\ud83d\\u0041\"", 1, "is followed by \\u0041, not by a low surrogate");
        fails("\"\uD83D\"", 1, "unpaired surrogate U+D83D");
        fails("012", 0, "leading zeros are not allowed");
        fails("-", 1, "expected a digit after '-'");
        fails("1.", 2, "expected a digit after the decimal point");
        fails("1e", 2, "expected a digit in the exponent");
        fails(".5", 0, "expected a JSON value, got '.'");
        fails("NaN", 0, "expected a JSON value, got 'N'");
        fails("tru", 0, "expected a JSON value, got 't'");
        fails("1e400", 0, "number 1e400 is too large for a double");
        fails("[1] // comment", 4, "unexpected '/'");
        JsonException lines = fails("{\n  \"a\": 1,\n  \"b\" 2\n}", 18, "line 3, column 7");
        assertEquals("expected ':' after object key, got '2'", lines.problem());
    }

    @Test
    void rejectsDuplicateKeysNamingThem() {
        JsonException.DuplicateKey e = assertThrows(JsonException.DuplicateKey.class, () -> Json.parse("{\"a\": 1, \"b\": {}, \"a\": 2}"));
        assertEquals("a", e.key());
        assertEquals(18, e.position());
        assertTrue(e.getMessage().startsWith("duplicate key \"a\""), e.getMessage());
    }

    @Test
    void limitsNestingDepth() {
        String ok = "[".repeat(64) + "]".repeat(64);
        assertInstanceOf(List.class, Json.parse(ok));
        fails("[".repeat(65) + "]".repeat(65), 64, "nesting deeper than 64 levels");
        // Hostile depth fails cleanly instead of overflowing the stack.
        fails("{\"a\":".repeat(100_000), 5 * 64, "nesting deeper than 64 levels");
        assertInstanceOf(List.class, Json.parse("[[[]]]", 3));
        JsonException custom = assertThrows(JsonException.class, () -> Json.parse("[[[[]]]]", 3));
        assertEquals(3, custom.position());
    }

    @Test
    void writesCompactAndPrettyInMapOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(1.5, "s\"q", true));
        m.put("e", Map.of());
        m.put("n", null);
        m.put("l", List.of());
        assertEquals("{\"z\":1,\"a\":[1.5,\"s\\\"q\",true],\"e\":{},\"n\":null,\"l\":[]}", Json.write(m));
        assertEquals("""
                {
                  "z": 1,
                  "a": [
                    1.5,
                    "s\\"q",
                    true
                  ],
                  "e": {},
                  "n": null,
                  "l": []
                }""", Json.writePretty(m));
    }

    @Test
    void sortsMapsThatHaveNoOrder() {
        Map<String, Object> m = new HashMap<>();
        for (String k : List.of("delta", "alpha", "charlie", "bravo")) m.put(k, k.length());
        assertEquals("{\"alpha\":5,\"bravo\":5,\"charlie\":7,\"delta\":5}", Json.write(m));
    }

    @Test
    void writesNumbersThatReadBack() {
        assertEquals("[0.1,1.0E-300,-0.0,1.0,123456789012345678,0.1,3]",
                Json.write(List.of(0.1, 1e-300, -0.0, 1.0, 123456789012345678L, 0.1f, (short) 3)));
        for (double d : new double[] {0.1, 1.0 / 3, Math.PI, Double.MIN_VALUE, Double.MAX_VALUE, -1e-7, 5e-324, 1.0}) {
            assertEquals(d, Json.parse(Json.write(d)));
        }
        assertEquals("[1,2]", Json.write(new int[] {1, 2}));
        assertEquals("[0.5,-1.0]", Json.write(new double[] {0.5, -1}));
        assertEquals("[0.1]", Json.write(new float[] {0.1f}));
    }

    @Test
    void refusesWhatJsonCannotHold() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stats", Map.of("mean", List.of(1.0, Double.NaN)));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Json.write(m));
        assertEquals("cannot write NaN at $.stats.mean[1]: JSON has no NaN or Infinity; store it as null or a string", nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
        assertTrue(inf.getMessage().contains("-Infinity at $"), inf.getMessage());
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of("a\uD800")));
        assertTrue(surrogate.getMessage().contains("$[0]: unpaired surrogate U+D800 at index 1"), surrogate.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("k", new Object())));
        assertTrue(type.getMessage().contains("java.lang.Object at $.k"), type.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertTrue(key.getMessage().contains("map key of type java.lang.Integer"), key.getMessage());
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class, () -> Json.write(new HashSet<>(List.of(1))));
        assertTrue(set.getMessage().contains("its order is not defined"), set.getMessage());
    }

    @Test
    void escapesControlCharactersAndKeepsUnicode() {
        assertEquals("\"a\\u0001\\n\\t é \uD83D\uDE00\"", Json.write("a\u0001\n\t é \uD83D\uDE00"));
        assertEquals("\"\\ud800\"", Json.quote("\uD800"));
    }

    @Test
    void readsAndWritesFiles() throws IOException {
        Path file = dir.resolve("meta.json");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "lstm");
        m.put("vocab", List.of("a", "ü"));
        Json.writeFile(file, m);
        assertEquals(Json.writePretty(m) + "\n", Files.readString(file));
        assertEquals(m, Json.readFile(file));

        Files.write(file, ("\uFEFF" + "[1]").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(1L), Json.readFile(file));

        Files.write(file, "{\"a\": }".getBytes(StandardCharsets.UTF_8));
        FormatException bad = assertThrows(FormatException.class, () -> Json.readFile(file));
        assertTrue(bad.getMessage().startsWith(file + ": invalid JSON: expected a JSON value, got '}' at line 1, column 7"), bad.getMessage());

        Files.write(file, new byte[] {'"', (byte) 0xc3, '"'});
        FormatException utf8 = assertThrows(FormatException.class, () -> Json.readFile(file));
        assertTrue(utf8.getMessage().contains("is not valid UTF-8: bad byte sequence at byte 1"), utf8.getMessage());
    }
}
