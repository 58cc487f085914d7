package org.rnn4j.apps.seq2seq;

import java.util.ArrayList;
import java.util.List;

/** How one side of a pair becomes tokens: every character (Unicode code point), or whitespace-separated words. */
public enum Tokenization {
    CHARS("chars"), WORDS("words");

    private final String cliName;

    Tokenization(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Tokenization parse(String name) {
        for (Tokenization t : values()) if (t.cliName.equals(name)) return t;
        throw new IllegalArgumentException("unknown tokenisation '" + name + "'; expected chars or words");
    }

    /** Characters are code points, so a letter outside the BMP is one token, not two surrogates. */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (this == CHARS) {
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else {
            for (String w : text.trim().split("\\s+")) if (!w.isEmpty()) out.add(w);
        }
        return out;
    }

    public String join(List<String> tokens) {
        return String.join(this == CHARS ? "" : " ", tokens);
    }
}
