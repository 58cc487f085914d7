package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole text as token ids: the first part for training, the last {@code valFraction} for validation
 * (never trained on). The vocabulary is built from the training part only, so validation tokens it
 * never saw become {@link Vocabulary#UNK} and are counted ({@link #unknownValidationTokens()}).
 *
 * <p>With n tokens the validation part has {@code floor(n * valFraction)} tokens (Python's {@code
 * int(n * f)}), the training part the rest.
 *
 * <p>The ids are held in memory (4 bytes a token); {@link #load} refuses, with a message, a file whose
 * ids would not fit in the memory limit it is given, instead of failing half-way with OutOfMemoryError.
 */
public final class Corpus {
    private final Vocabulary vocabulary;
    private final int[] tokens;
    private final int trainEnd;
    private final int unknownValidation;

    private Corpus(Vocabulary vocabulary, int[] tokens, int trainEnd) {
        this.vocabulary = vocabulary;
        this.tokens = tokens;
        this.trainEnd = trainEnd;
        int unk = 0;
        for (int i = trainEnd; i < tokens.length; i++) if (tokens[i] == Vocabulary.UNK_ID) unk++;
        this.unknownValidation = unk;
    }

    /** The default memory limit for {@link #load}: half of the JVM's maximum heap. */
    public static long defaultMemoryLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /**
     * Reads and tokenizes {@code file}.
     *
     * @param maxVocab    the most tokens the vocabulary may hold, {@code <unk>} included
     * @param valFraction share of tokens at the end held out for validation, in (0, 1)
     * @param memoryLimit bytes the token ids may take; bigger files are refused with a message
     * @throws IOException for a missing, binary, non-UTF-8, empty, too short or too large file; the
     *     message names the file and says what to do
     */
    public static Corpus load(Path file, Level level, int maxVocab, double valFraction, long memoryLimit) throws IOException {
        return load(file, level, maxVocab, valFraction, memoryLimit, false, 0);
    }

    /**
     * As {@link #load(Path, Level, int, double, long)}, optionally shuffling the lines of the text first (seeded):
     * for texts that are lists of independent items, one per line, such as names in alphabetical order,
     * where the file's order would otherwise put whole letters only in validation. A last line without a
     * line break gets one.
     */
    public static Corpus load(Path file, Level level, int maxVocab, double valFraction, long memoryLimit, boolean shuffleLines,
            long seed) throws IOException {
        checkFraction(valFraction);
        long size = Files.size(file);
        if (size == 0) throw new IOException(file + " is empty: there is no text to train on");
        long need = 4 * size; // at most one token per byte, 4 bytes per id
        if (size > Integer.MAX_VALUE - 16 || need > memoryLimit) {
            throw new IOException(String.format("%s is %s; training holds the text in memory as token ids (up to %s) but may use %s;"
                    + " train on a part of the file or give Java more memory (RNN4J_JAVA_OPTS=-Xmx...)",
                    file, bytes(size), bytes(need), bytes(memoryLimit)));
        }
        int[] raw = new int[(int) size];
        int[] n = {0};
        List<String> wordsById = new ArrayList<>();
        if (level == Level.CHAR) {
            TextReader.read(file, cp -> raw[n[0]++] = cp);
        } else {
            Map<String, Integer> provisional = new HashMap<>();
            Tokenizer.WordSplitter splitter = new Tokenizer.WordSplitter(w -> {
                Integer id = provisional.get(w);
                if (id == null) {
                    id = wordsById.size();
                    provisional.put(w, id);
                    wordsById.add(w);
                }
                raw[n[0]++] = id;
            });
            TextReader.read(file, splitter::accept);
            splitter.finish();
        }
        if (n[0] == 0) throw new IOException(file + " has no " + level.cliName() + " tokens (only a byte-order mark or white space)");
        int[] tokens = java.util.Arrays.copyOf(raw, n[0]);
        if (shuffleLines) {
            int newline = level == Level.CHAR ? '\n' : wordsById.indexOf(Tokenizer.NEWLINE);
            if (newline < 0) {
                newline = wordsById.size();
                wordsById.add(Tokenizer.NEWLINE);
            }
            tokens = shuffleLines(tokens, newline, new org.rnn4j.tensor.Rng(seed));
        }
        return fromRaw(file.toString(), level, tokens, wordsById, maxVocab, valFraction);
    }

    /** A corpus from a string (tests, small programs). */
    public static Corpus fromText(String text, Level level, int maxVocab, double valFraction) {
        checkFraction(valFraction);
        List<String> toks = level == Level.CHAR ? null : Tokenizer.words(text);
        try {
            if (level == Level.CHAR) return fromRaw("text", level, text.codePoints().toArray(), List.of(), maxVocab, valFraction);
            Map<String, Integer> provisional = new HashMap<>();
            List<String> wordsById = new ArrayList<>();
            int[] raw = new int[toks.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = provisional.computeIfAbsent(toks.get(i), w -> {
                    wordsById.add(w);
                    return wordsById.size() - 1;
                });
            }
            return fromRaw("text", level, raw, wordsById, maxVocab, valFraction);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The lines of {@code t} (each with its line-break token {@code newline}) in a random order. */
    static int[] shuffleLines(int[] t, int newline, org.rnn4j.tensor.Rng rng) {
        java.util.List<int[]> lines = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == newline) {
                lines.add(new int[] {start, i + 1});
                start = i + 1;
            }
        }
        if (start < t.length) lines.add(new int[] {start, t.length});
        int[] order = new int[lines.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        rng.shuffle(order);
        boolean addBreak = t.length > 0 && t[t.length - 1] != newline;
        int[] out = new int[t.length + (addBreak ? 1 : 0)];
        int at = 0;
        for (int k : order) {
            int[] l = lines.get(k);
            System.arraycopy(t, l[0], out, at, l[1] - l[0]);
            at += l[1] - l[0];
            if (l[1] == t.length && addBreak) out[at++] = newline;
        }
        return out;
    }

    /** raw: code points (char level) or indexes into wordsById (word level). */
    private static Corpus fromRaw(String name, Level level, int[] raw, List<String> wordsById, int maxVocab, double valFraction)
            throws IOException {
        int n = raw.length;
        int val = (int) (n * valFraction);
        int trainEnd = n - val;
        if (val < 2 || trainEnd < 2) {
            throw new IOException(String.format("%s has %d %s token%s: too short to split into training and validation"
                    + " (--val-fraction %s gives %d validation and %d training tokens; each part needs at least 2)",
                    name, n, level.cliName(), n == 1 ? "" : "s", valFraction, val, trainEnd));
        }
        Map<String, Long> counts = new HashMap<>();
        if (level == Level.CHAR) {
            Map<Integer, Long> c = new HashMap<>();
            for (int i = 0; i < trainEnd; i++) c.merge(raw[i], 1L, Long::sum);
            c.forEach((cp, k) -> counts.put(Character.toString(cp), k));
        } else {
            long[] c = new long[wordsById.size()];
            for (int i = 0; i < trainEnd; i++) c[raw[i]]++;
            for (int w = 0; w < c.length; w++) if (c[w] > 0) counts.put(wordsById.get(w), c[w]);
        }
        Vocabulary vocab = Vocabulary.build(level, counts, maxVocab);
        if (level == Level.CHAR) {
            for (int i = 0; i < n; i++) raw[i] = vocab.idOfCodePoint(raw[i]);
        } else {
            int[] map = new int[wordsById.size()];
            for (int w = 0; w < map.length; w++) map[w] = vocab.id(wordsById.get(w));
            for (int i = 0; i < n; i++) raw[i] = map[raw[i]];
        }
        return new Corpus(vocab, raw, trainEnd);
    }

    private static void checkFraction(double f) {
        if (!(f > 0 && f < 1)) throw new IllegalArgumentException("valFraction must be in (0, 1), got " + f);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) return String.format("%.1f GB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format("%.1f MB", b / (double) (1L << 20));
        if (b >= 1L << 10) return String.format("%.1f KB", b / (double) (1L << 10));
        return b + " bytes";
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** All token ids, training part first; do not modify. */
    public int[] tokens() {
        return tokens;
    }

    public int size() {
        return tokens.length;
    }

    /** Tokens [0, trainEnd) are training, [trainEnd, size) validation. */
    public int trainEnd() {
        return trainEnd;
    }

    public int trainTokens() {
        return trainEnd;
    }

    public int validationTokens() {
        return tokens.length - trainEnd;
    }

    /** Validation tokens the training part never had (now {@code <unk>}). */
    public int unknownValidationTokens() {
        return unknownValidation;
    }
}
