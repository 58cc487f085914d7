package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.FormatException;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void lastFractionIsValidationAndVocabularyComesFromTrainingOnly() {
        // 20 chars: val = int(20 * 0.25) = 5 -> "zzxyq" holds x, y, q unseen in training
        Corpus c = Corpus.fromText("aabbzaabbaabbaabzzzq", Level.CHAR, 100, 0.25);
        assertEquals(15, c.trainEnd());
        assertEquals(5, c.validationTokens());
        assertEquals(java.util.List.of("<unk>", "a", "b", "z"), c.vocabulary().tokens());
        assertEquals(1, c.unknownValidationTokens()); // q
        assertEquals(Vocabulary.UNK_ID, c.tokens()[19]);
    }

    @Test
    void wordLevelSplitsOnTokens() {
        Corpus c = Corpus.fromText("the cat sat on the mat .\nthe dog sat", Level.WORD, 100, 0.2);
        assertEquals(11, c.size());
        assertEquals(2, c.validationTokens());
        assertEquals(1, c.unknownValidationTokens()); // "dog" is only in validation
        assertEquals("the", c.vocabulary().token(1)); // most frequent first
    }

    @Test
    void fileWithMultibyteCharactersAcrossReadChunks() throws IOException {
        StringBuilder sb = new StringBuilder("\uFEFF"); // a byte-order mark is skipped
        for (int i = 0; i < 50_000; i++) sb.append(i % 3 == 0 ? "é" : i % 3 == 1 ? "😀" : "a");
        Path f = dir.resolve("u.txt");
        Files.writeString(f, sb, StandardCharsets.UTF_8);
        Corpus c = Corpus.load(f, Level.CHAR, 100, 0.1, 1L << 30);
        assertEquals(50_000, c.size());
        assertEquals(4, c.vocabulary().size());
        int[] t = c.tokens();
        Vocabulary v = c.vocabulary();
        for (int i = 0; i < t.length; i++) {
            int expected = v.idOfCodePoint((i % 3 == 0 ? "é" : i % 3 == 1 ? "😀" : "a").codePointAt(0));
            if (t[i] != expected) throw new AssertionError("token " + i + ": " + t[i] + " != " + expected);
        }
    }

    @Test
    void shuffledLinesKeepEveryLineWhole() throws IOException {
        String text = "Ann\nBob\nCy\nDee\nEve\nFlo\nGus"; // no final line break
        int[] shuffled = Corpus.shuffleLines(text.codePoints().toArray(), '\n', new org.rnn4j.tensor.Rng(7));
        String back = new String(shuffled, 0, shuffled.length);
        assertTrue(back.endsWith("\n"), back);
        java.util.List<String> lines = java.util.Arrays.asList(back.split("\n"));
        assertEquals(java.util.Set.of("Ann", "Bob", "Cy", "Dee", "Eve", "Flo", "Gus"), new java.util.HashSet<>(lines));
        assertEquals(7, lines.size());
        assertTrue(!lines.equals(java.util.Arrays.asList(text.split("\n"))), "shuffled: " + lines);
        Path f = Files.writeString(dir.resolve("names.txt"), text);
        assertEquals(text.length() + 1, Corpus.load(f, Level.CHAR, 100, 0.2, 1L << 20, true, 7).size());
        assertEquals(14, Corpus.load(f, Level.WORD, 100, 0.2, 1L << 20, true, 7).size()); // 7 names, 7 line breaks
    }

    @Test
    void badFilesGetOneClearMessage() throws IOException {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertMessage(empty, "is empty");
        Path one = Files.writeString(dir.resolve("one.txt"), "x");
        assertMessage(one, "too short");
        Path blank = Files.writeString(dir.resolve("blank.txt"), "   \n");
        var e = assertThrows(IOException.class, () -> Corpus.load(blank, Level.WORD, 100, 0.1, 1L << 30));
        assertTrue(e.getMessage().contains("too short"), e.getMessage()); // one token: "\n"
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {'a', 'b', 0, 1, 2});
        assertMessage(binary, "NUL byte at byte offset 2");
        Path latin1 = Files.write(dir.resolve("l.txt"), "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        FormatException fe = assertThrows(FormatException.class, () -> Corpus.load(latin1, Level.CHAR, 100, 0.1, 1L << 30));
        assertTrue(fe.getMessage().contains("not valid UTF-8: byte 0xE9 at byte offset 3"), fe.getMessage());
        Path truncated = Files.write(dir.resolve("t.txt"), new byte[] {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82});
        assertMessage(truncated, "UTF-8");
        Path big = Files.writeString(dir.resolve("big.txt"), "x".repeat(1000));
        e = assertThrows(IOException.class, () -> Corpus.load(big, Level.CHAR, 100, 0.1, 1000));
        assertTrue(e.getMessage().contains("in memory") && e.getMessage().contains("-Xmx"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Corpus.load(dir.resolve("missing.txt"), Level.CHAR, 100, 0.1, 1L << 30));
    }

    private static void assertMessage(Path f, String part) {
        var e = assertThrows(IOException.class, () -> Corpus.load(f, Level.CHAR, 100, 0.1, 1L << 30));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(f.getFileName().toString()), "names the file: " + e.getMessage());
    }
}
