package org.rnn4j.apps.seq2seq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tokens ↔ ids. Ids 0..3 are reserved: {@value #PAD} (padding), {@value #UNK} (rare or unknown
 * token), {@value #BOS} (start of a target), {@value #EOS} (end of a target); the data's tokens follow in
 * sorted order, so the same data always gives the same ids.
 */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();

    /** @param tokens every token in id order, starting with the four specials */
    public Vocabulary(List<String> tokens) {
        if (tokens.size() < SPECIALS.size() || !tokens.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IllegalArgumentException("a vocabulary must start with " + SPECIALS + ", got "
                    + tokens.subList(0, Math.min(tokens.size(), 4)));
        }
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.put(tokens.get(i), i) != null) throw new IllegalArgumentException("duplicate token " + tokens.get(i) + " in vocabulary");
        }
    }

    /** The tokens seen at least {@code minCount} times, in sorted order, after the specials. */
    public static Vocabulary build(Iterable<List<String>> sequences, int minCount) {
        if (minCount < 1) throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        Map<String, Integer> counts = new TreeMap<>();
        for (List<String> seq : sequences) for (String t : seq) counts.merge(t, 1, Integer::sum);
        List<String> list = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !SPECIALS.contains(e.getKey())) list.add(e.getKey());
        }
        return new Vocabulary(list);
    }

    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or -1 when it is not in the vocabulary. */
    public int idOrMissing(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The id of {@code token}, {@link #UNK_ID} when unknown. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? UNK_ID : id;
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }
}
