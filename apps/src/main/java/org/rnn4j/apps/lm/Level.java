package org.rnn4j.apps.lm;

import java.util.Locale;

/** What one token is: a character (Unicode code point) or a word. */
public enum Level {
    CHAR,
    WORD;

    /** "char" or "word", case-insensitive. */
    public static Level parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "char" -> CHAR;
            case "word" -> WORD;
            default -> throw new IllegalArgumentException("level must be 'char' or 'word', got '" + s + "'");
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the unit of the loss is called in reports: "char" or "word". */
    public String unit() {
        return cliName();
    }
}
