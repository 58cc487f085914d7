package org.rnn4j.apps.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits text into tokens.
 *
 * <p>Character level: one token per Unicode code point, nothing dropped. Word level: runs of letters
 * and digits (with inner apostrophes, so "don't" and "o'er" stay whole) are words; every other
 * visible character is a token of its own; a line break is the token "\n" (so generated text keeps
 * its lines); spaces, tabs and carriage returns only separate tokens. {@link #join} puts text back
 * together with the usual spacing around punctuation.
 */
public final class Tokenizer {
    /** The word-level token for a line break. */
    public static final String NEWLINE = "\n";

    private Tokenizer() {}

    /** Word-level tokens of {@code text}. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        WordSplitter s = new WordSplitter(out::add);
        text.codePoints().forEach(s::accept);
        s.finish();
        return out;
    }

    /** Character-level tokens of {@code text}: one string per code point. */
    public static List<String> chars(String text) {
        List<String> out = new ArrayList<>();
        text.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        return out;
    }

    /** Streaming word splitter: feed code points, tokens come out through the consumer. */
    public static final class WordSplitter {
        private final Consumer<String> sink;
        private final StringBuilder word = new StringBuilder();
        private int pendingApostrophe; // an apostrophe after a word, kept only if a letter follows

        public WordSplitter(Consumer<String> sink) {
            this.sink = sink;
        }

        public void accept(int cp) {
            if (Character.isLetterOrDigit(cp)) {
                if (pendingApostrophe != 0) {
                    word.appendCodePoint(pendingApostrophe);
                    pendingApostrophe = 0;
                }
                word.appendCodePoint(cp);
                return;
            }
            if ((cp == '\'' || cp == '\u2019') && word.length() > 0 && pendingApostrophe == 0) {
                pendingApostrophe = cp;
                return;
            }
            flushWord();
            if (cp == '\n') {
                sink.accept(NEWLINE);
            } else if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                sink.accept(Character.toString(cp));
            }
        }

        /** Emits the word in progress, if any. */
        public void finish() {
            flushWord();
        }

        private void flushWord() {
            if (word.length() > 0) {
                sink.accept(word.toString());
                word.setLength(0);
            }
            if (pendingApostrophe != 0) {
                sink.accept(Character.toString(pendingApostrophe));
                pendingApostrophe = 0;
            }
        }
    }

    /**
     * The text to append after {@code previous} (null at the start of a text or line) to write word-level
     * token {@code token}: a space between words, none before closing punctuation or after opening
     * brackets, none around line breaks.
     */
    public static String join(String previous, String token) {
        if (token.equals(NEWLINE)) return NEWLINE;
        if (previous == null || previous.equals(NEWLINE)) return token;
        if (token.length() == 1 && ".,;:!?)]}".indexOf(token.charAt(0)) >= 0) return token;
        if (previous.length() == 1 && "([{".indexOf(previous.charAt(0)) >= 0) return token;
        return " " + token;
    }
}
