package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed CSV through {@code rnn4j forecast}: exit 2, one line naming the file (and line), nothing written. */
class HostileCsvCliTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> cases() {
        byte[] huge = new byte[1_200_000];
        java.util.Arrays.fill(huge, (byte) 'a');
        return Stream.of(
                Arguments.of("empty", new byte[0], "the file is empty"),
                Arguments.of("unclosed quote", bytes("date,temp\n2024-01-01,1\n2024-01-02,\"2\n"), "line 3: a quoted value opened here is never closed"),
                Arguments.of("extra field", bytes("date,temp\n2024-01-01,1,3\n"), "line 2: expected 2 fields as in the header, got 3"),
                Arguments.of("invalid UTF-8", concat(bytes("date,temp\n2024-01-01,"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}),
                        "line 2: invalid UTF-8"),
                Arguments.of("text in a number column", bytes("date,temp\n2024-01-01,abc\n2024-01-02,2\n"), "is not numeric"),
                Arguments.of("enormous line", concat(bytes("date,temp\n2024-01-01,\""), huge), "longer than 1048576 characters"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedCsvGetsOneClearLineExit2AndNothingIsWritten(String name, byte[] content, String phrase) throws Exception {
        Path csv = dir.resolve(name.replace(' ', '_') + ".csv");
        Files.write(csv, content);
        Path out = Files.createDirectories(dir.resolve("out-" + name.replace(' ', '_')));
        Path existing = out.resolve("existing.txt");
        Files.writeString(existing, "earlier result");
        ChildRuns.Result r = ChildRuns.inProcess("forecast", "--data", csv.toString(), "--target", "temp", "--out", out.toString(),
                "--epochs", "1", "--quiet");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("rnn4j forecast: " + csv), r.err());
        assertTrue(lines[0].contains(phrase), r.err());
        assertArrayEquals(content, Files.readAllBytes(csv), "input unchanged");
        try (var s = Files.list(out)) {
            assertEquals(List.of(existing), s.toList(), "nothing written into the output folder");
        }
        assertEquals("earlier result", Files.readString(existing));
    }
}
