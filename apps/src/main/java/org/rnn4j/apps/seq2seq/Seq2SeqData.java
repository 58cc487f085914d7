package org.rnn4j.apps.seq2seq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.apps.seq2seq.PairFile.Pair;
import org.rnn4j.io.FormatException;

/** Turning pairs into token ids, with the checks that name the line of anything wrong. */
public final class Seq2SeqData {
    /** Longest single token accepted (a word side with a 100-character "word" is not text). */
    public static final int MAX_TOKEN_CHARS = 100;

    private Seq2SeqData() {}

    /** The pairs' sides tokenised, each checked against {@code maxLength} tokens and {@link #MAX_TOKEN_CHARS}. */
    public static List<List<String>> tokenize(Path file, List<Pair> pairs, boolean sourceSide, Tokenization tok, int maxLength)
            throws FormatException {
        List<List<String>> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            String side = sourceSide ? "source" : "target";
            List<String> t = tok.split(sourceSide ? p.source() : p.target());
            checkTokens(file, p.line(), side, t, maxLength);
            out.add(t);
        }
        return out;
    }

    static void checkTokens(Path file, int line, String side, List<String> tokens, int maxLength) throws FormatException {
        if (tokens.isEmpty()) throw new FormatException(file, "line " + line + ": the " + side + " has no tokens");
        if (tokens.size() > maxLength) {
            throw new FormatException(file, "line " + line + ": the " + side + " has " + tokens.size()
                    + " tokens, more than the maximum length " + maxLength);
        }
        for (String t : tokens) {
            if (t.length() > MAX_TOKEN_CHARS) {
                throw new FormatException(file, "line " + line + ": a " + side + " token is " + t.length()
                        + " characters long, more than " + MAX_TOKEN_CHARS + ": " + FormatException.quote(t));
            }
        }
    }

    /** Ids of tokenised pairs; tokens outside the vocabularies become {@link Vocabulary#UNK_ID}. */
    public static List<Example> encode(List<Pair> pairs, List<List<String>> sources, List<List<String>> targets,
                                       Vocabulary sourceVocab, Vocabulary targetVocab) {
        List<Example> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            out.add(new Example(ids(sources.get(i), sourceVocab), ids(targets.get(i), targetVocab), pairs.get(i).line()));
        }
        return out;
    }

    public static int[] ids(List<String> tokens, Vocabulary v) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.id(tokens.get(i));
        return out;
    }

    /**
     * Source ids for translation. With character tokens an unknown character is an error (the model
     * cannot spell what it never saw); unknown words become {@code <unk>}, as usual in translation.
     *
     * @throws IllegalArgumentException naming the token and its position
     */
    public static int[] sourceIds(Seq2SeqModel model, String text, int maxLength) {
        List<String> tokens = model.sourceTokens().split(text);
        if (tokens.isEmpty()) throw new IllegalArgumentException("empty source");
        if (tokens.size() > maxLength) {
            throw new IllegalArgumentException("the source has " + tokens.size() + " tokens, more than the maximum length " + maxLength);
        }
        Vocabulary v = model.sourceVocabulary();
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            String t = tokens.get(i);
            if (t.length() > MAX_TOKEN_CHARS) {
                throw new IllegalArgumentException("token " + (i + 1) + " is " + t.length() + " characters long, more than " + MAX_TOKEN_CHARS);
            }
            int id = v.idOrMissing(t);
            if (id < Vocabulary.SPECIALS.size()) {
                if (model.sourceTokens() == Tokenization.CHARS) {
                    int cp = t.codePointAt(0);
                    throw new IllegalArgumentException("unknown character " + FormatException.quote(t) + " (U+"
                            + String.format("%04X", cp) + ") at position " + (i + 1) + "; the model knows "
                            + (v.size() - Vocabulary.SPECIALS.size()) + " characters: " + alphabet(v));
                }
                id = Vocabulary.UNK_ID;
            }
            out[i] = id;
        }
        return out;
    }

    private static String alphabet(Vocabulary v) {
        StringBuilder sb = new StringBuilder();
        for (int i = Vocabulary.SPECIALS.size(); i < v.size(); i++) sb.append(v.token(i));
        return FormatException.quote(sb.toString());
    }

    /** Sources in order of first appearance, each with all its references (alternative targets). */
    public static Map<String, List<String>> references(List<Pair> pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Pair p : pairs) out.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p.target());
        return out;
    }
}
