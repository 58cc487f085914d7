package org.rnn4j.cli.seq2seq;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.apps.seq2seq.PairFile.Pair;
import org.rnn4j.tensor.Rng;

/** Held-out splits by source (all references of a source stay on one side) and file checksums. */
final class Splits {
    private Splits() {}

    /** [train, held-out]: a random {@code fraction} of the distinct sources, with every pair of each. */
    static List<List<Pair>> bySource(List<Pair> pairs, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        Map<String, List<Pair>> groups = new LinkedHashMap<>();
        for (Pair p : pairs) groups.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p);
        List<String> sources = new ArrayList<>(groups.keySet());
        int[] perm = new int[sources.size()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        new Rng(seed).shuffle(perm);
        int held = (int) Math.round(fraction * sources.size());
        boolean[] out = new boolean[sources.size()];
        for (int i = 0; i < held; i++) out[perm[i]] = true;
        List<Pair> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) (out[i] ? test : train).addAll(groups.get(sources.get(i)));
        return List.of(train, test);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
