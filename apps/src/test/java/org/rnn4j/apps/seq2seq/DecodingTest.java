package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;

/** Masking, batching, beam search and model files. */
class DecodingTest {
    @TempDir
    Path tmp;

    static List<int[]> sources() {
        return List.of(new int[] {4, 5, 6, 7, 8}, new int[] {8}, new int[] {5, 4}, new int[] {6, 6, 7}, new int[] {7, 8, 4, 5});
    }

    static Seq2SeqModel model(CellKind cell, Attention.Score score, int layers) {
        // a sharp output layer so that decoding depends on the source
        Seq2SeqModel m = Tiny.model(cell, score, layers, 0, 3, 6, 7, 0.8f);
        return m;
    }

    @Test
    void paddingNeverLeaks_logitsAndAttentionOfASourceDoNotDependOnItsBatch() {
        Seq2SeqModel m = model(CellKind.LSTM, Attention.Score.ADDITIVE, 2);
        Example a = new Example(new int[] {5, 6}, new int[] {4}, 1);
        Example longer = new Example(new int[] {4, 5, 6, 7, 8, 4}, new int[] {5, 6, 7, 4, 5}, 2);
        Seq2SeqPass alone = m.newPass(), mixed = m.newPass();
        double l1 = alone.forward(Batch.of(List.of(a)), false, null);
        mixed.forward(Batch.of(List.of(longer, a)), false, null);
        int v = m.targetVocabulary().size();
        // row 1 of the mixed batch, steps 0..1 (the rest is padding)
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < v; j++) {
                assertEquals(alone.logits()[t * v + j], mixed.logits()[(t * 2 + 1) * v + j], 1e-6, "logit t=" + t + " j=" + j);
            }
            float[] att = mixed.attention();
            int off = mixed.attentionOffset(t) + 6;
            for (int s = 2; s < 6; s++) assertEquals(0f, att[off + s], "attention on padded source position " + s);
            assertEquals(alone.attention()[alone.attentionOffset(t)], att[off], 1e-6);
        }
        assertTrue(l1 > 0);
    }

    @Test
    void paddingNeverLeaks_gradientsOfAPaddedBatchAreTheSumOfItsParts() {
        Seq2SeqModel m = model(CellKind.GRU, Attention.Score.GENERAL, 2);
        Example a = new Example(new int[] {5, 6}, new int[] {4}, 1);
        Example b = new Example(new int[] {4, 5, 6, 7, 8, 4}, new int[] {5, 6, 7, 4, 5}, 2);
        Seq2SeqPass pass = m.newPass();
        var p = m.parameters();
        // batch loss = (sum over a's 2 tokens + sum over b's 6 tokens) / 8
        p.zeroGrad();
        pass.forward(Batch.of(List.of(a)), true, null);
        pass.backward();
        float[] ga = p.grads().clone();
        p.zeroGrad();
        pass.forward(Batch.of(List.of(b)), true, null);
        pass.backward();
        float[] gb = p.grads().clone();
        p.zeroGrad();
        pass.forward(Batch.of(List.of(b, a)), true, null);
        pass.backward();
        float[] g = p.grads();
        for (int i = 0; i < g.length; i++) {
            double want = (2 * ga[i] + 6 * gb[i]) / 8.0;
            assertEquals(want, g[i], 1e-6 + 1e-4 * Math.abs(want), "gradient " + i);
        }
    }

    @Test
    void batchedDecodingEqualsOneAtATime() {
        Seq2SeqModel m = model(CellKind.LSTM, Attention.Score.GENERAL, 1);
        for (int beam : new int[] {1, 3}) {
            List<Translator.Result> all = new Translator(m, beam, 8, 1.0, 16, true).translate(sources());
            for (int i = 0; i < sources().size(); i++) {
                Translator.Result one = new Translator(m, beam, 8, 1.0, 1, true).translate(List.of(sources().get(i))).get(0);
                assertArrayEquals(one.ids(), all.get(i).ids(), "beam " + beam + " source " + i);
                assertEquals(one.score(), all.get(i).score(), 1e-5);
                assertEquals(one.attention().length, all.get(i).attention().length);
                for (int r = 0; r < one.attention().length; r++) assertArrayEquals(one.attention()[r], all.get(i).attention()[r], 1e-6f);
            }
        }
    }

    @Test
    void beamOfOneIsGreedy() {
        Seq2SeqModel m = model(CellKind.GRU, Attention.Score.DOT, 2);
        List<Translator.Result> g = new Translator(m, 1, 10, 1.0, 8, false).translate(sources());
        // beam search with k = 1 takes the same path (it is run through the general beam code here by a beam of 1 row)
        List<Translator.Result> b = new BeamOnly(m, 10).translate(sources());
        for (int i = 0; i < g.size(); i++) assertArrayEquals(g.get(i).ids(), b.get(i).ids(), "source " + i);
    }

    /** Runs the beam-search code path with k = 1 (the Translator sends beam 1 to its greedy loop). */
    static final class BeamOnly {
        final Translator t;

        BeamOnly(Seq2SeqModel m, int maxLen) {
            t = new Translator(m, 1, maxLen, 0, 8, false);
        }

        List<Translator.Result> translate(List<int[]> s) {
            try {
                var method = Translator.class.getDeclaredMethod("beamSearch", int[].class, int.class, int.class, int[].class);
                method.setAccessible(true);
                List<Translator.Result> out = new ArrayList<>();
                for (int[] x : s) {
                    @SuppressWarnings("unchecked")
                    List<Translator.Result> r = (List<Translator.Result>) method.invoke(t, x, 1, x.length, new int[] {x.length});
                    out.add(r.get(0));
                }
                return out;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** log p of a token sequence (plus EOS when finished), by stepping the decoder. */
    static double logProb(Seq2SeqModel m, int[] src, int[] tokens, boolean eos) {
        Seq2SeqPass pass = m.newPass();
        pass.startDecoding(src, 1, src.length, new int[] {src.length}, 1);
        int v = m.targetVocabulary().size();
        double sum = 0;
        int prev = Vocabulary.BOS_ID;
        for (int i = 0; i <= tokens.length; i++) {
            if (i == tokens.length && !eos) break;
            float[] lp = pass.step(new int[] {prev});
            int next = i < tokens.length ? tokens[i] : Vocabulary.EOS_ID;
            sum += lp[next];
            pass.reorder(null);
            prev = next;
        }
        return sum;
    }

    @Test
    void wideBeamFindsTheExhaustiveOptimumAndReportsItsTrueScore() {
        Seq2SeqModel m = model(CellKind.LSTM, Attention.Score.ADDITIVE, 1);
        int v = m.targetVocabulary().size(), maxLen = 3;
        for (double alpha : new double[] {0, 1.0}) {
            for (int[] src : sources()) {
                // every finished sequence of length <= 3 (EOS included) and every unfinished one of length 3
                double best = Double.NEGATIVE_INFINITY;
                List<int[]> seqs = new ArrayList<>();
                seqs.add(new int[0]);
                for (int len = 0; len <= maxLen; len++) {
                    List<int[]> next = new ArrayList<>();
                    for (int[] s : seqs) {
                        if (s.length < maxLen) {
                            double lp = logProb(m, src, s, true);
                            best = Math.max(best, alpha == 0 ? lp : lp / Math.pow(s.length + 1, alpha));
                        } else {
                            double lp = logProb(m, src, s, false);
                            best = Math.max(best, alpha == 0 ? lp : lp / Math.pow(s.length, alpha));
                        }
                        if (s.length < maxLen) {
                            for (int tok = 0; tok < v; tok++) {
                                if (tok == Vocabulary.EOS_ID) continue;
                                int[] x = Arrays.copyOf(s, s.length + 1);
                                x[s.length] = tok;
                                next.add(x);
                            }
                        }
                    }
                    seqs = next;
                    if (seqs.isEmpty()) break;
                }
                Translator.Result r = new Translator(m, 200, maxLen, alpha, 1, false).translate(List.of(src)).get(0);
                assertEquals(best, r.score(), 1e-4, "alpha " + alpha + " source " + Arrays.toString(src));
                boolean finished = r.ids().length < maxLen
                        || Math.abs(logProb(m, src, r.ids(), true) / (alpha == 0 ? 1 : Math.pow(r.ids().length + 1, alpha)) - r.score()) < 1e-4;
                double own = finished ? logProb(m, src, r.ids(), true) / (alpha == 0 ? 1 : Math.pow(r.ids().length + 1, alpha))
                        : logProb(m, src, r.ids(), false) / (alpha == 0 ? 1 : Math.pow(r.ids().length, alpha));
                assertEquals(own, r.score(), 1e-4, "the reported score is the output's own (normalised) log-probability");
            }
        }
    }

    @Test
    void saveAndLoadGiveTheSameModel() throws Exception {
        Seq2SeqModel m = model(CellKind.GRU, Attention.Score.ADDITIVE, 2);
        m.metadata().put("note", "hello");
        Path f = tmp.resolve("m.safetensors");
        m.save(f);
        Seq2SeqModel back = Seq2SeqModel.load(f);
        assertEquals(m.config(), back.config());
        assertEquals(m.sourceVocabulary().tokens(), back.sourceVocabulary().tokens());
        assertEquals("hello", back.metadata().get("note"));
        assertArrayEquals(m.parameters().values(), back.parameters().values());
        List<Translator.Result> a = new Translator(m, 3, 6, 1, 4, false).translate(sources());
        List<Translator.Result> b = new Translator(back, 3, 6, 1, 4, false).translate(sources());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).ids(), b.get(i).ids());
    }

    @Test
    void aModelFileOfAnotherKindIsRejectedByName() throws Exception {
        Path f = tmp.resolve("x.safetensors");
        var t = new java.util.LinkedHashMap<String, org.rnn4j.tensor.Tensor>();
        t.put("rnn.weight_ih_l0", org.rnn4j.tensor.Tensor.zeros(4, 2));
        org.rnn4j.io.Safetensors.write(f, t, java.util.Map.of());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.rnn4j.io.FormatException.class, () -> Seq2SeqModel.load(f));
        assertTrue(e.getMessage().contains("not a seq2seq model"), e.getMessage());
    }
}
