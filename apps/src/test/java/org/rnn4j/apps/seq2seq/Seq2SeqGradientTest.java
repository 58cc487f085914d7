package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Parameters;
import org.rnn4j.tensor.Rng;

/**
 * Every parameter gradient of the whole encoder-decoder against central differences of the loss, on
 * tiny shapes with padding on both sides, for each cell × attention, stacked layers, and dropout (the
 * masks replay exactly because the generator is re-seeded for every evaluation).
 */
class Seq2SeqGradientTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(CellKind.LSTM, Attention.Score.GENERAL, 1, 0.0),
                Arguments.of(CellKind.LSTM, Attention.Score.DOT, 2, 0.0),
                Arguments.of(CellKind.LSTM, Attention.Score.ADDITIVE, 1, 0.0),
                Arguments.of(CellKind.GRU, Attention.Score.GENERAL, 2, 0.0),
                Arguments.of(CellKind.GRU, Attention.Score.DOT, 1, 0.0),
                Arguments.of(CellKind.GRU, Attention.Score.ADDITIVE, 2, 0.0),
                Arguments.of(CellKind.LSTM, Attention.Score.GENERAL, 2, 0.3));
    }

    @ParameterizedTest(name = "{0} {1} layers={2} dropout={3}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(CellKind cell, Attention.Score score, int layers, double dropout) {
        Seq2SeqModel m = Tiny.model(cell, score, layers, dropout, 3, 4, 11, 0.6f);
        Batch batch = Tiny.batch();
        Seq2SeqPass pass = m.newPass();
        Parameters p = m.parameters();
        boolean training = dropout > 0;
        p.zeroGrad();
        pass.forward(batch, true, new Rng(5));
        pass.backward();
        float[] analytic = p.grads().clone();
        float[] v = p.values();
        double eps = 5e-3;
        int checked = 0;
        StringBuilder bad = new StringBuilder();
        for (Parameters.Param q : p.list()) {
            double worst = 0;
            for (int i = q.offset(); i < q.offset() + q.size(); i++) {
                float old = v[i];
                v[i] = (float) (old + eps);
                double up = pass.forward(batch, training, new Rng(5));
                v[i] = (float) (old - eps);
                double down = pass.forward(batch, training, new Rng(5));
                v[i] = old;
                double plus = (float) (old + eps) - old, minus = old - (float) (old - eps);
                double fd = (up - down) / (plus + minus);
                double err = Math.abs(fd - analytic[i]) / (2e-4 + 2e-2 * Math.abs(fd));
                worst = Math.max(worst, err);
                if (err > 1 && bad.length() < 2000) {
                    bad.append(String.format("%s[%d]: analytic %.6g, numeric %.6g%n", q.name(), i - q.offset(), analytic[i], fd));
                }
                checked++;
            }
        }
        if (!bad.isEmpty()) fail("gradient mismatch:\n" + bad);
        assertTrue(checked > 100, "checked only " + checked + " parameters");
    }
}
