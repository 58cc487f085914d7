package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;

class VocabularyTest {

    @Test
    void charVocabularyIsUnkThenCodePointOrder() {
        Vocabulary v = Vocabulary.build(Level.CHAR, Map.of("b", 5L, "a", 1L, "\n", 2L, "é", 1L, "😀", 1L), 100);
        assertEquals(List.of("<unk>", "\n", "a", "b", "é", "😀"), v.tokens());
        assertEquals(0, v.id("z"));
        assertEquals(5, v.idOfCodePoint("😀".codePointAt(0)));
        assertEquals(Vocabulary.UNK_ID, v.idOfCodePoint('q'));
        assertArrayEquals(new int[] {3, 2, 0, 5}, v.encode("baz😀"));
        assertEquals("ba<unk>😀", v.decode(new int[] {3, 2, 0, 5}));
    }

    @Test
    void sizeLimitKeepsTheMostFrequentTiesAlphabetical() {
        Vocabulary v = Vocabulary.build(Level.WORD, Map.of("the", 10L, "cat", 3L, "bat", 3L, "ant", 1L), 3);
        assertEquals(List.of("<unk>", "the", "bat"), v.tokens());
        assertEquals(Vocabulary.UNK_ID, v.id("cat"));
        assertFalse(v.contains("<unk>"));
        assertTrue(v.unkTrained(), "words past the limit are <unk> in training");
        assertFalse(Vocabulary.build(Level.WORD, Map.of("the", 10L, "cat", 3L), 3).unkTrained());
        assertTrue(Vocabulary.fromJson(Json.parse(Json.write(v.toJson()))).unkTrained());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(Level.WORD, Map.of("a", 1L), 1));
    }

    @Test
    void jsonRoundTripAndValidation() {
        Vocabulary v = Vocabulary.build(Level.CHAR, Map.of("x", 1L, "\"", 1L, "\u0001", 1L), 10);
        Vocabulary back = Vocabulary.fromJson(Json.parse(Json.write(v.toJson())));
        assertEquals(v.tokens(), back.tokens());
        assertEquals(Level.CHAR, back.level());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromJson(Json.parse("{\"level\":\"char\",\"tokens\":[\"<unk>\",\"ab\"]}")));
        assertTrue(e.getMessage().contains("expected one character"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromJson(Json.parse("{\"level\":\"char\",\"tokens\":[\"a\"]}")));
        assertTrue(e.getMessage().contains("<unk>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromJson(Json.parse("{\"level\":\"word\",\"tokens\":[\"<unk>\",\"a\",\"a\"]}")));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void wordTokenizerKeepsContractionsPunctuationAndLines() {
        assertEquals(List.of("Don't", ",", "o'er", "the", "hills", "'", "\n", "42", "!", "'", "tis"),
                Tokenizer.words("Don't, o'er  the\thills'\r\n42! 'tis"));
        assertEquals(List.of(), Tokenizer.words(" \t "));
    }

    @Test
    void wordDecodingSpacesLikeProse() {
        Vocabulary v = Vocabulary.of(Level.WORD, List.of("<unk>", "Hello", ",", "world", "!", "\n", "(", "yes", ")"));
        assertEquals("Hello, world!\n(yes) world", v.decode(v.encode("Hello , world !\n( yes ) world")));
    }
}
