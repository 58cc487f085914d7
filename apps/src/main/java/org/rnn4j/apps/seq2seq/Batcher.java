package org.rnn4j.apps.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rnn4j.tensor.Rng;

/**
 * Length bucketing: examples sorted by (source length, target length, random tie-break) and cut
 * into consecutive batches, so each batch pads little; the batch order is then shuffled. Only the
 * last batch may be smaller than the batch size, which keeps the number of distinct (B, S) shapes —
 * and so encoder workspaces — small.
 */
public final class Batcher {
    private Batcher() {}

    public static List<Batch> batches(List<Example> examples, int batchSize, Rng rng) {
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        int n = examples.size();
        long[] keys = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            long noise = rng == null ? i : rng.nextInt(1 << 20);
            keys[i] = ((long) e.source().length << 42) | ((long) e.target().length << 21) | noise;
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> keys[i]));
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            List<Example> chunk = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batchSize); i++) chunk.add(examples.get(order[i]));
            out.add(Batch.of(chunk));
        }
        if (rng != null) {
            int[] perm = new int[out.size()];
            for (int i = 0; i < perm.length; i++) perm[i] = i;
            rng.shuffle(perm);
            List<Batch> shuffled = new ArrayList<>(out.size());
            for (int i : perm) shuffled.add(out.get(i));
            return shuffled;
        }
        return out;
    }
}
