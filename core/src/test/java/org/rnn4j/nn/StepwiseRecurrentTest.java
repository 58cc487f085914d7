package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.tensor.Rng;

/**
 * The step-wise runner equals the sequence runner {@link Recurrent} (forward direction) on the same
 * weights: outputs, final states, input gradients, initial-state gradients and every weight gradient,
 * with variable lengths (a length-0 row included) and a workspace larger than the batch.
 */
class StepwiseRecurrentTest {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(CellKind.LSTM, 1), Arguments.of(CellKind.LSTM, 2), Arguments.of(CellKind.GRU, 1),
                Arguments.of(CellKind.GRU, 3), Arguments.of(CellKind.RNN_TANH, 2));
    }

    @ParameterizedTest(name = "{0} layers={1}")
    @MethodSource("cases")
    void matchesTheSequenceRunner(CellKind cell, int layers) {
        int B = 4, T = 5, I = 3, H = 6;
        RecurrentConfig c = new RecurrentConfig(cell, I, H, layers, false, true, 0);
        Parameters.Builder b1 = Parameters.builder(), b2 = Parameters.builder();
        Recurrent seq = new Recurrent(c, b1, "rnn.");
        StepwiseRecurrent step = new StepwiseRecurrent(c, b2, "rnn.");
        Parameters p1 = b1.build(), p2 = b2.build();
        assertEquals(p1.list().stream().map(Parameters.Param::name).toList(), p2.list().stream().map(Parameters.Param::name).toList());
        Rng rng = new Rng(42);
        Initializers.uniform(p1.values(), 0, p1.size(), 0.5f, rng);
        System.arraycopy(p1.values(), 0, p2.values(), 0, p1.size());
        int[] lengths = {5, 2, 0, 4};
        float[] x = gaussian(rng, T * B * I), h0 = gaussian(rng, layers * B * H), c0 = gaussian(rng, layers * B * H);
        float[] dOut = gaussian(rng, T * B * H), dhn = gaussian(rng, layers * B * H), dcn = gaussian(rng, layers * B * H);
        for (int t = 0; t < T; t++) {
            for (int r = 0; r < B; r++) if (t >= lengths[r]) java.util.Arrays.fill(dOut, (t * B + r) * H, (t * B + r + 1) * H, 0f);
        }
        boolean lstm = cell == CellKind.LSTM;

        RecurrentWorkspace ws = seq.workspace(B, T);
        seq.forward(p1, ws, x, lengths, h0, lstm ? c0 : null, false, null);
        seq.backward(p1, ws, dOut, dhn, lstm ? dcn : null);

        StepwiseRecurrent.Workspace sw = step.workspace(B + 3, T + 2); // larger than needed on purpose
        step.start(p2, sw, B, T, lengths, h0, lstm ? c0 : null, false, null);
        for (int t = 0; t < T; t++) {
            step.step(p2, sw, t, x, t * B * I);
            float[] out = step.output(sw);
            int off = step.outputOffset(sw, t);
            for (int r = 0; r < B; r++) {
                if (t >= lengths[r]) continue;
                for (int j = 0; j < H; j++) {
                    assertEquals(ws.output()[(t * B + r) * H + j], out[off + r * H + j], 1e-6, "output t=" + t + " row " + r);
                }
            }
        }
        float[] top = step.output(sw);
        for (int r = 0; r < B; r++) {
            for (int j = 0; j < H; j++) {
                assertEquals(ws.hn()[((layers - 1) * B + r) * H + j], top[(T * B + r) * H + j], 1e-6, "final state row " + r);
            }
        }
        float[] dx = new float[T * B * I];
        step.startBackward(sw, dhn, lstm ? dcn : null);
        for (int t = T - 1; t >= 0; t--) step.backwardStep(p2, sw, t, dOut, t * B * H, dx, t * B * I);
        step.finishBackward(p2, sw);
        assertClose("dx", ws.dInput(), dx, dx.length);
        assertClose("dh0", ws.dh0(), sw.dh0(), layers * B * H);
        if (lstm) assertClose("dc0", ws.dc0(), sw.dc0(), layers * B * H);
        for (Parameters.Param q : p1.list()) assertClose(q.name(), p1.grad(q.name()).data(), p2.grad(q.name()).data(), q.size());
    }

    @ParameterizedTest(name = "{0} layers={1}")
    @MethodSource("cases")
    void misuseIsRejected(CellKind cell, int layers) {
        RecurrentConfig c = new RecurrentConfig(cell, 2, 3, layers, false, true, 0);
        Parameters.Builder b = Parameters.builder();
        StepwiseRecurrent s = new StepwiseRecurrent(c, b, "d.");
        Parameters p = b.build();
        StepwiseRecurrent.Workspace w = s.workspace(2, 2);
        assertThrows(IllegalArgumentException.class, () -> s.start(p, w, 3, 1, null, null, null, false, null));
        s.start(p, w, 2, 2, null, null, null, false, null);
        assertThrows(IllegalStateException.class, () -> s.step(p, w, 1, new float[4], 0));
        assertThrows(IllegalStateException.class, () -> s.startBackward(w, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new StepwiseRecurrent(new RecurrentConfig(cell, 2, 3, 1, true, true, 0), Parameters.builder(), "x."));
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    private static void assertClose(String what, float[] expected, float[] actual, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }
}
