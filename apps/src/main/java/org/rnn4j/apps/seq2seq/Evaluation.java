package org.rnn4j.apps.seq2seq;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Output quality against references, one source at a time with one or more references each.
 *
 * <ul>
 *   <li>token error rate: Σ edit distance to the closest reference / Σ length of that reference
 *       (phoneme error rate for G2P);</li>
 *   <li>sequence error rate: share of sources whose output equals none of their references (word
 *       error rate for G2P);</li>
 *   <li>BLEU: corpus BLEU-4 (Papineni et al. 2002) on tokens, 0–100: clipped n-gram precisions
 *       pooled over the corpus (clipping by the maximum count over a source's references), geometric
 *       mean of n = 1..4, brevity penalty from the reference length closest to each output (ties: the
 *       shorter); 0 when some precision is 0.</li>
 * </ul>
 */
public final class Evaluation {
    private Evaluation() {}

    /** The figures; {@code bleu} is null when not computed. */
    public record Result(double tokenErrorRate, double sequenceErrorRate, Double bleu, int sources, long referenceTokens) {}

    public static Result evaluate(List<List<String>> outputs, List<List<List<String>>> references, boolean bleu) {
        if (outputs.size() != references.size()) {
            throw new IllegalArgumentException("outputs: expected " + references.size() + " (one per source), got " + outputs.size());
        }
        long edits = 0, refTokens = 0;
        int wrong = 0;
        for (int i = 0; i < outputs.size(); i++) {
            List<String> out = outputs.get(i);
            List<List<String>> refs = references.get(i);
            if (refs.isEmpty()) throw new IllegalArgumentException("source " + i + " has no reference");
            int bestDist = Integer.MAX_VALUE, bestLen = 0;
            boolean match = false;
            for (List<String> ref : refs) {
                int d = editDistance(out, ref);
                if (d < bestDist || (d == bestDist && ref.size() < bestLen)) {
                    bestDist = d;
                    bestLen = ref.size();
                }
                if (d == 0) match = true;
            }
            edits += bestDist;
            refTokens += bestLen;
            if (!match) wrong++;
        }
        int n = outputs.size();
        return new Result(refTokens == 0 ? 0 : (double) edits / refTokens, n == 0 ? 0 : (double) wrong / n,
                bleu ? corpusBleu(outputs, references) : null, n, refTokens);
    }

    /** Levenshtein distance over tokens (unit costs). */
    public static int editDistance(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1], cur = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) prev[j] = j;
        for (int i = 1; i <= a.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                int sub = prev[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }

    /** Corpus BLEU-4, 0–100; see the class comment. */
    public static double corpusBleu(List<List<String>> outputs, List<List<List<String>>> references) {
        long[] match = new long[4], total = new long[4];
        long hypLen = 0, refLen = 0;
        for (int i = 0; i < outputs.size(); i++) {
            List<String> out = outputs.get(i);
            List<List<String>> refs = references.get(i);
            hypLen += out.size();
            int closest = -1;
            for (List<String> r : refs) {
                int d = Math.abs(r.size() - out.size());
                if (closest < 0 || d < Math.abs(closest - out.size()) || (d == Math.abs(closest - out.size()) && r.size() < closest)) {
                    closest = r.size();
                }
            }
            refLen += closest;
            for (int n = 1; n <= 4; n++) {
                Map<List<String>, Integer> counts = ngrams(out, n);
                Map<List<String>, Integer> maxRef = new HashMap<>();
                for (List<String> r : refs) {
                    for (Map.Entry<List<String>, Integer> e : ngrams(r, n).entrySet()) maxRef.merge(e.getKey(), e.getValue(), Math::max);
                }
                for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
                    match[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                }
                total[n - 1] += Math.max(0, out.size() - n + 1);
            }
        }
        double logSum = 0;
        for (int n = 0; n < 4; n++) {
            if (match[n] == 0 || total[n] == 0) return 0;
            logSum += Math.log((double) match[n] / total[n]);
        }
        double bp = hypLen >= refLen ? 1 : Math.exp(1 - (double) refLen / Math.max(1, hypLen));
        return 100 * bp * Math.exp(logSum / 4);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) m.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        return m;
    }
}
