package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.FormatException;

/** Reading pairs and turning them into ids: every problem names the file and the line. */
class PairFileTest {
    @TempDir
    Path tmp;

    private Path write(String text) throws IOException {
        Path f = tmp.resolve("pairs.tsv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private String error(String text) throws IOException {
        Path f = write(text);
        FormatException e = assertThrows(FormatException.class, () -> PairFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), "message should start with the file: " + e.getMessage());
        return e.problem();
    }

    @Test
    void readsPairsWithAlternativeReferencesAndExtraColumns() throws IOException {
        Path f = write("\uFEFFGo.\tVa !\r\nGo.\tMarche.\nHi.\tSalut !\tCC-BY 2.0 (France) Attribution\n");
        List<PairFile.Pair> p = PairFile.read(f);
        assertEquals(3, p.size());
        assertEquals(new PairFile.Pair("Go.", "Va !", 1), p.get(0));
        assertEquals(new PairFile.Pair("Hi.", "Salut !", 3), p.get(2));
        assertEquals(List.of("Va !", "Marche."), Seq2SeqData.references(p).get("Go."));
    }

    @Test
    void badLinesNameTheLine() throws IOException {
        assertEquals("line 2: expected source<TAB>target, found no tab in \"no tab here\"", error("a\tb\nno tab here\n"));
        assertEquals("line 1: the source (before the tab) is empty", error(" \tb\n"));
        assertEquals("line 3: the target (after the tab) is empty", error("a\tb\nc\td\ne\t\n"));
        assertTrue(error("a\tb\n" + "x".repeat(PairFile.MAX_LINE_CHARS + 1) + "\tb\n").startsWith("line 2 is 10003 characters long"));
        assertTrue(error("").contains("no pairs"));
        Path bin = tmp.resolve("bad.tsv");
        Files.write(bin, new byte[] {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xC3, '\n'});
        FormatException e = assertThrows(FormatException.class, () -> PairFile.read(bin));
        assertEquals("line 2: not valid UTF-8", e.problem());
    }

    @Test
    void tokensAreCheckedAgainstTheLimits() throws IOException {
        Path f = write("abc\tA B\nabcdef\tA\n");
        List<PairFile.Pair> p = PairFile.read(f);
        FormatException e = assertThrows(FormatException.class, () -> Seq2SeqData.tokenize(f, p, true, Tokenization.CHARS, 5));
        assertEquals("line 2: the source has 6 tokens, more than the maximum length 5", e.problem());
        Path g = write("a\t" + "W".repeat(Seq2SeqData.MAX_TOKEN_CHARS + 1) + "\n");
        List<PairFile.Pair> q = PairFile.read(g);
        e = assertThrows(FormatException.class, () -> Seq2SeqData.tokenize(g, q, false, Tokenization.WORDS, 100));
        assertTrue(e.problem().startsWith("line 1: a target token is 101 characters long"), e.problem());
    }

    @Test
    void tokenisationByCodePointsAndWords() {
        assertEquals(List.of("é", "t", "\uD83D\uDE00"), Tokenization.CHARS.split("ét\uD83D\uDE00"));
        assertEquals(List.of("K", "AE1", "T"), Tokenization.WORDS.split("  K  AE1\tT "));
        assertEquals("K AE1 T", Tokenization.WORDS.join(List.of("K", "AE1", "T")));
    }

    @Test
    void unknownCharacterAtTranslationTimeIsNamed() {
        Seq2SeqModel m = Tiny.model(org.rnn4j.nn.CellKind.LSTM, org.rnn4j.nn.Attention.Score.GENERAL, 1, 0, 3, 4, 1, 0.1f);
        assertArrayEquals(new int[] {4, 6}, Seq2SeqData.sourceIds(m, "ac", 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqData.sourceIds(m, "abz", 10));
        assertEquals("unknown character \"z\" (U+007A) at position 3; the model knows 5 characters: \"abcde\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqData.sourceIds(m, "abcabc", 5));
        assertEquals("the source has 6 tokens, more than the maximum length 5", e.getMessage());
    }

    @Test
    void vocabularyIsSortedAfterTheSpecialsAndMapsRareTokensToUnk() {
        Vocabulary v = Vocabulary.build(List.of(List.of("b", "a", "b"), List.of("c", "b")), 2);
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "b"), v.tokens());
        assertEquals(Vocabulary.UNK_ID, v.id("a"));
        assertEquals(-1, v.idOrMissing("a"));
    }
}
