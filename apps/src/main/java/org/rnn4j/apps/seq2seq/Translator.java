package org.rnn4j.apps.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decoding: greedy (beam 1) or length-normalised beam search, over batches of sources sorted by
 * length (so the encoder pads little); results come back in input order.
 *
 * <p>Beam search keeps {@code beam} hypotheses per source. Each step scores every (hypothesis,
 * token) by cumulative log-probability; candidates ending in EOS become finished hypotheses scored
 * {@code logp / length^α} (length counts EOS, α = {@code lengthPenalty}; α = 0 is no normalisation), the
 * best non-EOS candidates refill the beam. A source is done when it has {@code beam} finished
 * hypotheses or reaches {@code maxLength} (then its live hypotheses are scored too); its best is the
 * result. Finished and dead rows keep running until the whole batch is done, which costs compute but
 * never changes results: rows do not interact.
 *
 * <p>An ensemble decodes as one model whose next-token log-probabilities are the members' combined
 * ({@link Seq2SeqEnsemble.Combination}: log softmax of the mean log-probability, or log of the mean
 * probability), so greedy and beam search work unchanged; the attention kept for pictures is the
 * first member's.
 */
public final class Translator {
    private final Seq2SeqModel model;
    private final List<Seq2SeqPass> passes = new ArrayList<>();
    private final Seq2SeqPass pass;
    private final Seq2SeqEnsemble.Combination combination;
    private float[] mixed = new float[0];
    private final int beam;
    private final int maxLength;
    private final double lengthPenalty;
    private final int batchSize;
    private final boolean keepAttention;

    /** One decoded output: target token ids (no BOS/EOS), its score, and optionally its attention. */
    public record Result(int[] ids, double score, float[][] attention) {
        /** Attention rows [output tokens + 1 (EOS, if emitted)][source length], or null if not kept. */
        @Override
        public float[][] attention() {
            return attention;
        }
    }

    public Translator(Seq2SeqModel model, int beam, int maxLength, double lengthPenalty, int batchSize, boolean keepAttention) {
        this(Seq2SeqEnsemble.of(List.of(model)), beam, maxLength, lengthPenalty, batchSize, keepAttention);
    }

    public Translator(Seq2SeqEnsemble models, int beam, int maxLength, double lengthPenalty, int batchSize, boolean keepAttention) {
        if (beam < 1) throw new IllegalArgumentException("beam must be >= 1, got " + beam);
        if (maxLength < 1) throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (!(lengthPenalty >= 0)) throw new IllegalArgumentException("lengthPenalty must be >= 0, got " + lengthPenalty);
        this.model = models.first();
        for (Seq2SeqModel m : models.members()) passes.add(m.newPass());
        this.pass = passes.getFirst();
        this.combination = models.combination();
        this.beam = beam;
        this.maxLength = maxLength;
        this.lengthPenalty = lengthPenalty;
        this.batchSize = batchSize;
        this.keepAttention = keepAttention;
    }

    /** Decodes every source (id arrays, each non-empty); results in input order. */
    public List<Result> translate(List<int[]> sources) {
        int n = sources.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> sources.get(i).length));
        Result[] out = new Result[n];
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            int s = 0;
            for (int i = 0; i < b; i++) s = Math.max(s, sources.get(order[start + i]).length);
            int[] src = new int[b * s], len = new int[b];
            for (int i = 0; i < b; i++) {
                int[] x = sources.get(order[start + i]);
                if (x.length == 0) throw new IllegalArgumentException("source " + order[start + i] + " is empty");
                System.arraycopy(x, 0, src, i * s, x.length);
                len[i] = x.length;
            }
            List<Result> r = beam == 1 ? greedy(src, b, s, len) : beamSearch(src, b, s, len);
            for (int i = 0; i < b; i++) out[order[start + i]] = r.get(i);
        }
        return Arrays.asList(out);
    }

    private List<Result> greedy(int[] src, int b, int s, int[] len) {
        for (Seq2SeqPass p : passes) p.startDecoding(src, b, s, len, 1);
        int v = model.targetVocabulary().size();
        int[] prev = new int[b];
        Arrays.fill(prev, Vocabulary.BOS_ID);
        boolean[] done = new boolean[b];
        double[] score = new double[b];
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<float[]>> att = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            tokens.add(new ArrayList<>());
            att.add(new ArrayList<>());
        }
        int left = b;
        for (int step = 0; step < maxLength && left > 0; step++) {
            float[] logp = step(prev);
            float[] alpha = pass.stepAttention();
            for (int i = 0; i < b; i++) {
                if (done[i]) continue;
                int best = 0;
                for (int j = 1; j < v; j++) if (logp[i * v + j] > logp[i * v + best]) best = j;
                score[i] += logp[i * v + best];
                if (keepAttention) att.get(i).add(Arrays.copyOfRange(alpha, i * s, i * s + len[i]));
                if (best == Vocabulary.EOS_ID) {
                    done[i] = true;
                    left--;
                } else {
                    tokens.get(i).add(best);
                }
                prev[i] = best;
            }
            for (Seq2SeqPass p : passes) p.reorder(null);
        }
        List<Result> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int[] ids = tokens.get(i).stream().mapToInt(Integer::intValue).toArray();
            out.add(new Result(ids, score[i], keepAttention ? att.get(i).toArray(new float[0][]) : null));
        }
        return out;
    }

    /** Next-token log-probabilities [rows, V]: the single model's, or the members' combination. */
    private float[] step(int[] prev) {
        if (passes.size() == 1) return pass.step(prev);
        int v = model.targetVocabulary().size(), n = pass.decodingRows() * v;
        if (mixed.length < n) mixed = new float[n];
        System.arraycopy(pass.step(prev), 0, mixed, 0, n);
        for (int m = 1; m < passes.size(); m++) {
            float[] lp = passes.get(m).step(prev);
            if (combination == Seq2SeqEnsemble.Combination.PRODUCT) {
                for (int i = 0; i < n; i++) mixed[i] += lp[i];
            } else {
                // log(e^a + e^b), pairwise; every term is finite (log-softmax outputs)
                for (int i = 0; i < n; i++) {
                    double a = mixed[i], b = lp[i], hi = Math.max(a, b);
                    mixed[i] = (float) (hi + Math.log1p(Math.exp(Math.min(a, b) - hi)));
                }
            }
        }
        if (combination == Seq2SeqEnsemble.Combination.MIXTURE) {
            float logN = (float) Math.log(passes.size());
            for (int i = 0; i < n; i++) mixed[i] -= logN;
            return mixed;
        }
        // product: the mean log-probability, renormalised per row (log-softmax)
        double inv = 1.0 / passes.size();
        for (int r = 0; r < n / v; r++) {
            int o = r * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, mixed[o + j] * inv);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.exp(mixed[o + j] * inv - max);
            double lse = max + Math.log(sum);
            for (int j = 0; j < v; j++) mixed[o + j] = (float) (mixed[o + j] * inv - lse);
        }
        return mixed;
    }

    private record Hyp(int step, int row, double logp, double score, boolean eos) {}

    private double normalise(double logp, int length) {
        return lengthPenalty == 0 ? logp : logp / Math.pow(length, lengthPenalty);
    }

    private List<Result> beamSearch(int[] src, int b, int s, int[] len) {
        int k = beam, rows = b * k, v = model.targetVocabulary().size();
        for (Seq2SeqPass p : passes) p.startDecoding(src, b, s, len, k);
        int[] prev = new int[rows];
        Arrays.fill(prev, Vocabulary.BOS_ID);
        double[] cum = new double[rows];
        for (int r = 0; r < rows; r++) cum[r] = r % k == 0 ? 0 : Double.NEGATIVE_INFINITY; // one live row at the start
        List<int[]> tokHist = new ArrayList<>(), fromHist = new ArrayList<>();
        List<float[]> attHist = new ArrayList<>();
        List<List<Hyp>> finished = new ArrayList<>();
        for (int i = 0; i < b; i++) finished.add(new ArrayList<>());
        boolean[] done = new boolean[b];
        int left = b;
        int cands = 2 * k;
        double[] candScore = new double[cands];
        int[] candRow = new int[cands], candTok = new int[cands];
        int steps = 0;
        for (int step = 0; step < maxLength && left > 0; step++) {
            float[] logp = step(prev);
            if (keepAttention) attHist.add(Arrays.copyOf(pass.stepAttention(), rows * s));
            int[] from = new int[rows], tok = new int[rows];
            double[] next = new double[rows];
            for (int i = 0; i < b; i++) {
                int base = i * k;
                if (done[i]) {
                    for (int j = 0; j < k; j++) {
                        from[base + j] = base + j;
                        next[base + j] = Double.NEGATIVE_INFINITY;
                    }
                    continue;
                }
                // top 2k (row, token) candidates by cumulative log-probability: insertion into a sorted array
                int found = 0;
                for (int j = 0; j < k; j++) {
                    int r = base + j;
                    if (cum[r] == Double.NEGATIVE_INFINITY) continue;
                    for (int t = 0; t < v; t++) {
                        double sc = cum[r] + logp[r * v + t];
                        if (found == cands && sc <= candScore[cands - 1]) continue;
                        int pos = Math.min(found, cands - 1);
                        while (pos > 0 && candScore[pos - 1] < sc) {
                            candScore[pos] = candScore[pos - 1];
                            candRow[pos] = candRow[pos - 1];
                            candTok[pos] = candTok[pos - 1];
                            pos--;
                        }
                        candScore[pos] = sc;
                        candRow[pos] = r;
                        candTok[pos] = t;
                        if (found < cands) found++;
                    }
                }
                int filled = 0;
                for (int c = 0; c < found && filled < k; c++) {
                    if (candTok[c] == Vocabulary.EOS_ID) {
                        if (finished.get(i).size() < k) {
                            finished.get(i).add(new Hyp(step, candRow[c], candScore[c], normalise(candScore[c], step + 1), true));
                        }
                    } else {
                        from[base + filled] = candRow[c];
                        tok[base + filled] = candTok[c];
                        next[base + filled] = candScore[c];
                        filled++;
                    }
                }
                for (int j = filled; j < k; j++) {
                    from[base + j] = base;
                    next[base + j] = Double.NEGATIVE_INFINITY;
                }
                if (finished.get(i).size() >= k) {
                    done[i] = true;
                    left--;
                }
            }
            tokHist.add(tok);
            fromHist.add(from);
            for (Seq2SeqPass p : passes) p.reorder(from);
            System.arraycopy(next, 0, cum, 0, rows);
            System.arraycopy(tok, 0, prev, 0, rows);
            steps = step + 1;
        }
        List<Result> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            List<Hyp> hyps = finished.get(i);
            if (!done[i]) {
                // out of steps: live hypotheses compete too, scored by their length so far
                for (int j = 0; j < k; j++) {
                    int r = i * k + j;
                    if (cum[r] != Double.NEGATIVE_INFINITY) hyps.add(new Hyp(steps, r, cum[r], normalise(cum[r], steps), false));
                }
            }
            Hyp best = null;
            for (Hyp hyp : hyps) if (best == null || hyp.score() > best.score()) best = hyp;
            out.add(best == null ? new Result(new int[0], Double.NEGATIVE_INFINITY, keepAttention ? new float[0][] : null)
                    : backtrack(best, tokHist, fromHist, attHist, s, len[i]));
        }
        return out;
    }

    /**
     * Follows back-pointers from a hypothesis. For an EOS hypothesis, {@code row} is the row (before
     * reordering) whose step produced EOS; for a live one it is the row after the last reorder.
     */
    private Result backtrack(Hyp h, List<int[]> tokHist, List<int[]> fromHist, List<float[]> attHist, int s, int len) {
        List<Integer> ids = new ArrayList<>();
        List<float[]> att = new ArrayList<>();
        int cur;
        int last;
        if (h.eos()) {
            if (keepAttention) att.add(Arrays.copyOfRange(attHist.get(h.step()), h.row() * s, h.row() * s + len));
            cur = h.row();
            last = h.step() - 1;
        } else {
            cur = h.row();
            last = h.step() - 1;
        }
        for (int st = last; st >= 0; st--) {
            int rowBefore = fromHist.get(st)[cur];
            ids.add(tokHist.get(st)[cur]);
            if (keepAttention) att.add(Arrays.copyOfRange(attHist.get(st), rowBefore * s, rowBefore * s + len));
            cur = rowBefore;
        }
        java.util.Collections.reverse(ids);
        java.util.Collections.reverse(att);
        return new Result(ids.stream().mapToInt(Integer::intValue).toArray(), h.score(),
                keepAttention ? att.toArray(new float[0][]) : null);
    }
}
