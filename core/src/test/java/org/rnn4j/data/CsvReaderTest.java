package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    private static CsvTable parse(String text) throws IOException {
        return CsvReader.readTable(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv",
                CsvReader.Options.defaults());
    }

    private static CsvTable parseBytes(byte[] bytes) throws IOException {
        return CsvReader.readTable(new ByteArrayInputStream(bytes), "t.csv", CsvReader.Options.defaults());
    }

    @Test
    void plainFileWithLfAndNoFinalNewline() throws IOException {
        CsvTable t = parse("a,b\n1,2\n3,4");
        assertEquals(List.of("a", "b"), t.columnNames());
        assertEquals(2, t.rowCount());
        assertArrayEquals(new String[] {"1", "3"}, t.column("a"));
        assertArrayEquals(new String[] {"2", "4"}, t.column("b"));
        assertEquals(2, t.line(0));
        assertEquals(3, t.line(1));
    }

    @Test
    void crlfAndLoneCrLineEndings() throws IOException {
        CsvTable t = parse("a,b\r\n1,2\r\n3,4\r\n");
        assertEquals(2, t.rowCount());
        assertEquals("4", t.value(1, 1));
        CsvTable mac = parse("a,b\r1,2\r3,4\r");
        assertEquals(2, mac.rowCount());
        assertEquals(3, mac.line(1));
    }

    @Test
    void quotedHeadersAndValuesWithCommasQuotesAndNewlines() throws IOException {
        String text = "\"STATION\",\"NAME\",\"DATE\",\"TMAX\"\n"
                + "\"USW1\",\"SEATTLE TACOMA AIRPORT, WA US\",\"2020-01-01\",\"8.3\"\n"
                + "\"USW1\",\"say \"\"hi\"\"\nsecond line\",\"2020-01-02\",\"\"\n"
                + "USW1,plain,2020-01-03,7\n";
        CsvTable t = parse(text);
        assertEquals(List.of("STATION", "NAME", "DATE", "TMAX"), t.columnNames());
        assertEquals(3, t.rowCount());
        assertEquals("SEATTLE TACOMA AIRPORT, WA US", t.value(0, 1));
        assertEquals("say \"hi\"\nsecond line", t.value(1, 1));
        assertEquals("", t.value(1, 3));
        assertEquals(3, t.line(1));
        assertEquals(5, t.line(2), "the quoted newline moves later rows down one line");
    }

    @Test
    void crlfInsideQuotedValueBecomesLf() throws IOException {
        CsvTable t = parse("a,b\r\n\"x\r\ny\",2\r\n");
        assertEquals("x\ny", t.value(0, 0));
    }

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        byte[] body = "date,v\n2020-01-01,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        CsvTable t = parseBytes(withBom);
        assertEquals("date", t.columnNames().get(0));
        assertEquals(0, t.columnIndex("date"));
    }

    @Test
    void utf8ValuesSurvive() throws IOException {
        CsvTable t = parse("ville,µg/m³\nZürich,12\n");
        assertEquals("Zürich", t.value(0, 0));
        assertEquals("µg/m³", t.columnNames().get(1));
    }

    @Test
    void spacesAroundQuotedFieldsAreIgnoredAndHeaderNamesTrimmed() throws IOException {
        CsvTable t = parse(" a , \"b\" \n 1 , \"2\" \n");
        assertEquals(List.of("a", "b"), t.columnNames());
        assertEquals(" 1 ", t.value(0, 0), "unquoted values are kept as written");
        assertEquals("2", t.value(0, 1));
    }

    @Test
    void blankLinesAreSkippedAndEmptyFieldsKept() throws IOException {
        CsvTable t = parse("a,b\n\n1,\n\n,2\n\n");
        assertEquals(2, t.rowCount());
        assertEquals("", t.value(0, 1));
        assertEquals("", t.value(1, 0));
        assertEquals(3, t.line(0));
        assertEquals(5, t.line(1));
    }

    @Test
    void wrongFieldCountNamesFileAndLine() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b,c\n1,2,3\n4,5\n"));
        assertEquals("t.csv", e.source());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("t.csv, line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 3 fields"), e.getMessage());
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }

    @Test
    void tooManyFieldsHintsAtUnquotedComma() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b\n1,2\nx,y,z\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("unquoted comma"), e.getMessage());
    }

    @Test
    void unterminatedQuoteIsReportedWhereItOpened() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b\n1,2\n3,\"oops\n4,5\n6,7\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void garbageAfterClosingQuote() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b\n\"1\"x,2\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("after a closing quote"), e.getMessage());
    }

    @Test
    void emptyFileAndHeaderOnly() {
        CsvException empty = assertThrows(CsvException.class, () -> parse(""));
        assertTrue(empty.getMessage().contains("t.csv: the file is empty"), empty.getMessage());
        CsvException blank = assertThrows(CsvException.class, () -> parse("\n\n"));
        assertTrue(blank.getMessage().contains("empty"), blank.getMessage());
        CsvException noRows = assertThrows(CsvException.class, () -> parse("a,b\n"));
        assertTrue(noRows.getMessage().contains("no data rows"), noRows.getMessage());
    }

    @Test
    void duplicateColumnNames() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b,a\n1,2,3\n"));
        assertTrue(e.getMessage().contains("more than once: 'a'"), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedOnItsLine() {
        byte[] head = "a,b\n1,2\n3,".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // Latin-1 'é', not valid UTF-8 here
        bytes[head.length + 1] = 'x';
        bytes[head.length + 2] = '\n';
        CsvException e = assertThrows(CsvException.class, () -> parseBytes(bytes));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("invalid UTF-8: byte 0xE9"), e.getMessage());
    }

    @Test
    void invalidUtf8DeepInALargeFileHasTheExactLine() {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 5000; i++) sb.append(i).append(",x\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = '\n';
        CsvException e = assertThrows(CsvException.class, () -> parseBytes(bytes));
        assertEquals(5002, e.line());
    }

    @Test
    void overlongRecordIsAnError() {
        CsvReader.Options small = new CsvReader.Options(',', 20);
        CsvException e = assertThrows(CsvException.class, () -> CsvReader.readTable(
                new StringReader("a,b\n1,\"" + "x".repeat(100) + "\"\n"), "t.csv", small));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("longer than 20 characters"), e.getMessage());
        assertTrue(e.getMessage().contains("closing quote"), e.getMessage());
    }

    @Test
    void unknownColumnListsTheColumns() throws IOException {
        CsvTable t = parse("date,temp_max,wind\n2020-01-01,3,4\n");
        CsvException e = assertThrows(CsvException.class, () -> t.columnIndex("temp"));
        assertEquals("t.csv: unknown column 'temp'; the file has: date, temp_max, wind", e.getMessage());
        CsvException hint = assertThrows(CsvException.class, () -> t.columnIndex("Wind"));
        assertTrue(hint.getMessage().contains("did you mean 'wind'?"), hint.getMessage());
    }

    @Test
    void delimiterDetection() {
        assertEquals(',', CsvReader.detectDelimiter("a,b,c\n1;2;3;4;5\n"));
        assertEquals(';', CsvReader.detectDelimiter("\"a,x\";b;c\n"));
        assertEquals('\t', CsvReader.detectDelimiter("date\ttemp\n"));
        assertEquals(',', CsvReader.detectDelimiter("single\n"));
    }

    @Test
    void tabDelimiter() throws IOException {
        CsvTable t = CsvReader.readTable(new StringReader("a\tb\n\"x,y\"\t2\n"), "t.tsv",
                CsvReader.Options.defaults().withDelimiter('\t'));
        assertEquals("x,y", t.value(0, 0));
    }

    @Test
    void streamingReturnsRecordsWithTheirLines() throws IOException {
        try (CsvReader r = CsvReader.open(new StringReader("a\n1\n\"2\n2\"\n3\n"), "s", CsvReader.Options.defaults())) {
            assertEquals(List.of("a"), r.header());
            assertArrayEquals(new String[] {"1"}, r.next());
            assertEquals(2, r.recordLine());
            assertArrayEquals(new String[] {"2\n2"}, r.next());
            assertEquals(3, r.recordLine());
            assertArrayEquals(new String[] {"3"}, r.next());
            assertEquals(5, r.recordLine());
            assertNull(r.next());
        }
    }

    @Test
    void readsAFileFromDisk(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "a,b\n1,2\n");
        assertEquals(1, CsvReader.readTable(f).rowCount());
        CsvException e = assertThrows(CsvException.class, () -> CsvReader.readTable(f).columnIndex("c"));
        assertTrue(e.getMessage().startsWith(f.toString() + ": unknown column 'c'"), e.getMessage());
    }

    /** Whatever the cells hold, writing them RFC 4180-style and reading them back gives them back. */
    @Property(tries = 200)
    void roundTripOfArbitraryCells(@ForAll @Size(min = 1, max = 5) List<@StringLength(max = 12) String> row1,
            @ForAll("crlf") boolean crlf) throws IOException {
        List<String> header = new java.util.ArrayList<>();
        for (int i = 0; i < row1.size(); i++) header.add("c" + i);
        String eol = crlf ? "\r\n" : "\n";
        String text = String.join(",", header) + eol + encode(row1) + eol + encode(row1);
        // Cells made only of CR/LF would be normalised; compare against the normalised form.
        CsvTable t;
        try {
            t = parse(text);
        } catch (CsvException e) {
            // A one-column row whose only cell is empty is a blank line; that is by design.
            assertTrue(row1.size() == 1 && row1.get(0).isEmpty(), e.getMessage());
            return;
        }
        assertEquals(2, t.rowCount());
        for (int c = 0; c < row1.size(); c++) {
            String expected = row1.get(c).replace("\r\n", "\n").replace('\r', '\n');
            assertEquals(expected, t.value(0, c));
            assertEquals(expected, t.value(1, c));
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Boolean> crlf() {
        return net.jqwik.api.Arbitraries.of(true, false);
    }

    private static String encode(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(cells.get(i).replace("\"", "\"\"")).append('"');
        }
        return sb.toString();
    }
}
