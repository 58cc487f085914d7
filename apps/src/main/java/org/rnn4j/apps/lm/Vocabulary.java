package org.rnn4j.apps.lm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens a language model knows, id ↔ token. Id 0 is always {@link #UNK}, which stands for every
 * token not in the vocabulary (words past the size limit, characters never seen in training).
 *
 * <p>Character level: tokens are single code points in code-point order. Word level: words in order of
 * decreasing training count (ties alphabetical). Either way the order is a pure function of the
 * training text and the size limit, so a run is reproducible and a PyTorch script can rebuild it.
 *
 * <p>{@link #unkTrained()} tells whether {@code <unk>} occurred in the training text (words past the size
 * limit): then the model has learned to predict it and it is scored like any token; otherwise (the usual
 * case at character level) the model cannot know unseen tokens, and evaluation counts them apart
 * instead of scoring an arbitrary probability. Immutable and thread-safe.
 */
public final class Vocabulary {
    public static final String UNK = "<unk>";
    public static final int UNK_ID = 0;

    private final Level level;
    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int[] bmpIds; // char level: id of each BMP code point, -1 = unknown
    private final boolean unkTrained;

    private Vocabulary(Level level, List<String> tokens, boolean unkTrained) {
        this.level = level;
        this.unkTrained = unkTrained;
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary: token " + quote(tokens.get(i)) + " appears twice");
            }
        }
        if (!UNK.equals(tokens.get(0))) throw new IllegalArgumentException("vocabulary: token 0 must be " + UNK + ", got " + quote(tokens.get(0)));
        if (level == Level.CHAR) {
            bmpIds = new int[1 << 16];
            java.util.Arrays.fill(bmpIds, -1);
            for (int i = 1; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (t.codePointCount(0, t.length()) != 1) {
                    throw new IllegalArgumentException("vocabulary: character-level token " + i + " is " + quote(t) + ", expected one character");
                }
                int cp = t.codePointAt(0);
                if (cp < bmpIds.length) bmpIds[cp] = i;
            }
        } else {
            bmpIds = null;
        }
    }

    /**
     * The vocabulary of a training text from its token counts.
     *
     * @param counts  training count of each distinct token
     * @param maxSize the most tokens to keep including {@link #UNK} (>= 2); the rarest are dropped
     */
    public static Vocabulary build(Level level, Map<String, Long> counts, int maxSize) {
        if (maxSize < 2) throw new IllegalArgumentException("maxVocab must be >= 2 (" + UNK + " and one token), got " + maxSize);
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getKey().equals(UNK));
        entries.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < entries.size() && kept.size() < maxSize - 1; i++) kept.add(entries.get(i).getKey());
        boolean dropped = kept.size() < entries.size() || counts.containsKey(UNK);
        if (level == Level.CHAR) kept.sort((a, b) -> Integer.compare(a.codePointAt(0), b.codePointAt(0)));
        List<String> all = new ArrayList<>(kept.size() + 1);
        all.add(UNK);
        all.addAll(kept);
        return new Vocabulary(level, all, dropped);
    }

    /** A vocabulary with exactly these tokens ({@code tokens[0]} must be {@link #UNK}), {@code <unk>} not trained. */
    public static Vocabulary of(Level level, List<String> tokens) {
        return of(level, tokens, false);
    }

    /** A vocabulary with exactly these tokens; {@code tokens[0]} must be {@link #UNK}. */
    public static Vocabulary of(Level level, List<String> tokens, boolean unkTrained) {
        if (tokens.isEmpty()) throw new IllegalArgumentException("vocabulary: no tokens");
        return new Vocabulary(level, tokens, unkTrained);
    }

    /** Whether {@code <unk>} occurred in the training text, so the model learned to predict it. */
    public boolean unkTrained() {
        return unkTrained;
    }

    public Level level() {
        return level;
    }

    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) throw new IllegalArgumentException("token id " + id + " is outside [0, " + tokens.size() + ")");
        return tokens.get(id);
    }

    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /** The id of {@code token}, or {@link #UNK_ID} if it is not in the vocabulary. */
    public int id(String token) {
        Integer i = ids.get(token);
        return i == null ? UNK_ID : i;
    }

    public boolean contains(String token) {
        return ids.containsKey(token) && !UNK.equals(token);
    }

    /** Character level: the id of code point {@code cp}, or {@link #UNK_ID}. */
    public int idOfCodePoint(int cp) {
        if (bmpIds != null && cp >= 0 && cp < bmpIds.length) {
            int i = bmpIds[cp];
            return i < 0 ? UNK_ID : i;
        }
        return id(Character.toString(cp));
    }

    /** Token ids of {@code text}, tokenized at this vocabulary's level; unknown tokens become {@link #UNK_ID}. */
    public int[] encode(String text) {
        if (level == Level.CHAR) return text.codePoints().map(this::idOfCodePoint).toArray();
        return Tokenizer.words(text).stream().mapToInt(this::id).toArray();
    }

    /** The text of token ids, spaced as {@link Tokenizer#join} says at word level. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (int id : ids) {
            sb.append(render(prev, id));
            prev = id;
        }
        return sb.toString();
    }

    /**
     * The text that writes token {@code id} after token {@code previousId} (-1 at the start): the
     * character itself, or the word with its spacing.
     */
    public String render(int previousId, int id) {
        String t = token(id);
        if (level == Level.CHAR) return t;
        return Tokenizer.join(previousId < 0 ? null : token(previousId), t);
    }

    /** JSON form stored in the model metadata: {"level": "char", "tokens": [...], "unk_trained": false}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level.cliName());
        m.put("tokens", new ArrayList<>(tokens));
        m.put("unk_trained", unkTrained);
        return m;
    }

    /** Reads {@link #toJson()}'s form; problems are {@link IllegalArgumentException}s naming the field. */
    public static Vocabulary fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m)) throw new IllegalArgumentException("vocabulary: expected a JSON object");
        if (!(m.get("level") instanceof String lv)) throw new IllegalArgumentException("vocabulary: field 'level' must be \"char\" or \"word\"");
        if (!(m.get("tokens") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("vocabulary: field 'tokens' must be a non-empty list of strings");
        }
        List<String> tokens = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) throw new IllegalArgumentException("vocabulary: token " + i + " is not a string");
            tokens.add(s);
        }
        Object ut = m.get("unk_trained");
        if (ut != null && !(ut instanceof Boolean)) throw new IllegalArgumentException("vocabulary: field 'unk_trained' must be true or false");
        return new Vocabulary(Level.parse(lv), tokens, Boolean.TRUE.equals(ut));
    }

    private static String quote(String s) {
        return org.rnn4j.io.Json.quote(s);
    }

    @Override
    public String toString() {
        return level.cliName() + " vocabulary of " + size() + " tokens";
    }
}
