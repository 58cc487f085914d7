package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.CrossEntropyLoss;

/**
 * Carrying the state is exact: running a sequence in pieces, each starting from the state the previous
 * piece ended in, gives the same numbers as running it whole — for training batches, for the
 * step-by-step session and for the evaluator.
 */
class StatefulTest {

    static Vocabulary vocab(int n) {
        List<String> t = new ArrayList<>();
        t.add(Vocabulary.UNK);
        for (int i = 1; i < n; i++) t.add(Character.toString('a' + i - 1));
        return Vocabulary.of(Level.CHAR, t);
    }

    static int[] randomTokens(int n, int v, long seed) {
        Rng r = new Rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(v);
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"LSTM", "GRU", "RNN_TANH"})
    void twoHalvesWithCarriedStateEqualTheWholeSequence(CellKind cell) {
        int b = 4, t = 6, v = 11;
        LanguageModel lm = LanguageModel.create(vocab(v), cell, 5, 7, 2, 0, 42);
        SequenceModel m = lm.network();
        int[] whole = randomTokens(b * 2 * t, v, 1); // [B, 2T]
        ModelPass full = m.newPass(b, 2 * t);
        float[] outFull = full.forwardTokens(whole, null, null, null, false, null).clone();

        ModelPass half = m.newPass(b, t);
        int[] first = new int[b * t], second = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(whole, i * 2 * t, first, i * t, t);
            System.arraycopy(whole, i * 2 * t + t, second, i * t, t);
        }
        float[] out1 = half.forwardTokens(first, null, null, null, false, null).clone();
        float[] h = half.hn().clone(), c = half.cn().clone();
        float[] out2 = half.forwardTokens(second, null, h, cell == CellKind.LSTM ? c : null, false, null).clone();
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < 2 * t; s++) {
                float[] piece = s < t ? out1 : out2;
                int ps = s < t ? s : s - t;
                for (int o = 0; o < v; o++) {
                    float expected = outFull[(i * 2 * t + s) * v + o];
                    float got = piece[(i * t + ps) * v + o];
                    if (Float.floatToIntBits(expected) != Float.floatToIntBits(got)) {
                        throw new AssertionError(cell + ": logit [" + i + ", " + s + ", " + o + "] whole " + expected + " pieces " + got);
                    }
                }
            }
        }
        assertArrayEquals(full.hn(), half.hn(), 0f);
        assertArrayEquals(full.cn(), half.cn(), 0f);
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"LSTM", "GRU"})
    void sessionStepsEqualOneForwardOverTheSequence(CellKind cell) {
        int t = 9, v = 8;
        LanguageModel lm = LanguageModel.create(vocab(v), cell, 4, 6, 2, 0.3, 7);
        int[] seq = randomTokens(t, v, 3);
        float[] whole = lm.network().newPass(1, t).forwardTokens(seq, null, null, null, false, null);
        LanguageModelSession s = lm.newSession();
        for (int i = 0; i < t; i++) {
            float[] step = s.feed(seq[i]);
            for (int o = 0; o < v; o++) {
                // The batch-1 step runs the matrix-vector kernel, whose sums may round differently in the last bit.
                assertEquals(whole[i * v + o], step[o], 1e-6f * (1 + Math.abs(whole[i * v + o])), cell + ": step " + i + " logit " + o);
            }
        }
        double[] p = s.probabilities();
        assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-12);
        assertEquals(Math.exp(whole[(t - 1) * v + 2] - whole[(t - 1) * v + 1]), p[2] / p[1], 1e-5);
        s.reset();
        assertArrayEquals(lm.network().newPass(1, 1).forwardTokens(new int[] {seq[0]}, null, null, null, false, null), s.feed(seq[0]), 1e-6f);
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"LSTM", "GRU"})
    void evaluatorEqualsTheSessionsSumOfLogLosses(CellKind cell) {
        int v = 9, n = 700; // one stream (n < 2048): the evaluator runs the text as one sequence in chunks
        LanguageModel lm = LanguageModel.create(vocab(v), cell, 4, 5, 2, 0, 11);
        int[] tokens = randomTokens(n, v, 5);
        EvalResult r = new LmEvaluator(lm).evaluate(tokens, 0, n);
        LanguageModelSession s = lm.newSession();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double sum = 0;
        long unknown = 0;
        for (int i = 0; i + 1 < n; i++) {
            float[] logits = s.feed(tokens[i]);
            if (tokens[i + 1] == Vocabulary.UNK_ID) {
                unknown++; // <unk> was never trained: counted, not scored
                continue;
            }
            sum += ce.loss(logits, 0, 1, v, tokens, i + 1);
        }
        assertEquals(sum, r.sumLoss(), 1e-9 * Math.abs(sum));
        assertEquals(unknown, r.unknownTokens());
        assertEquals(n - 1 - unknown, r.tokens());
        assertTrue(unknown > 0);
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"LSTM"})
    void streamsInParallelMatchEachStreamRunAlone(CellKind cell) {
        int v = 6, n = 1024 * 3 + 1 + 2; // 3 streams of 1024, 2 pairs left out
        LanguageModel lm = LanguageModel.create(vocab(v), cell, 3, 4, 1, 0, 2);
        int[] tokens = randomTokens(n, v, 9);
        assertEquals(3, LmEvaluator.streamsFor(n));
        EvalResult all = new LmEvaluator(lm).evaluate(tokens, 0, n);
        EvalResult sum = EvalResult.EMPTY;
        for (int s = 0; s < 3; s++) sum = sum.plus(new LmEvaluator(lm).evaluate(tokens, s * 1024, s * 1024 + 1025));
        assertEquals(3 * 1024, all.tokens() + all.unknownTokens());
        assertEquals(sum.tokens(), all.tokens());
        assertEquals(sum.unknownTokens(), all.unknownTokens());
        assertEquals(sum.sumLoss(), all.sumLoss(), 1e-9 * sum.sumLoss());
    }

}
