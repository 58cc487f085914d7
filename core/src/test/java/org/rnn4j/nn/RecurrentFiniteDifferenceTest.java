package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our float32 backward against central finite differences of the double-precision reference
 * ({@link ReferenceRecurrent}), on tiny shapes with T ≥ 3, for the input, h0, c0 and every parameter;
 * and our forward against that reference for every flag combination.
 */
class RecurrentFiniteDifferenceTest {

    static Stream<Arguments> combos() {
        List<Arguments> out = new ArrayList<>();
        for (CellKind cell : CellKind.values()) {
            for (boolean bias : new boolean[] {true, false}) {
                for (int layers = 1; layers <= 2; layers++) {
                    for (boolean bi : new boolean[] {false, true}) {
                        for (boolean var : new boolean[] {false, true}) out.add(Arguments.of(cell, bias, layers, bi, var));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} bias={1} layers={2} bi={3} var={4}")
    @MethodSource("combos")
    void backwardMatchesFiniteDifferences(CellKind cell, boolean bias, int layers, boolean bi, boolean var) {
        int batch = 2, time = 4, in = 3, hidden = 3;
        RecurrentConfig rc = new RecurrentConfig(cell, in, hidden, layers, bi, bias, 0);
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, 0, 0), Init.PYTORCH, 7 + cell.ordinal());
        Parameters p = model.parameters();
        Rng rng = new Rng(11);
        // Spread the weights wider than the default init so every gate is exercised away from 0.
        for (int i = 0; i < p.size(); i++) p.values()[i] = (float) (rng.nextDouble() * 1.6 - 0.8);
        int states = layers * rc.directions() * batch * hidden;
        float[] x = randn(rng, batch * time * in), h0 = randn(rng, states), c0 = randn(rng, states);
        float[] dOut = randn(rng, batch * time * rc.outputSize()), dhn = randn(rng, states), dcn = randn(rng, states);
        int[] lengths = var ? new int[] {time, time - 1} : null;
        if (var && bi) lengths = new int[] {3, time}; // the shorter sequence first, to test the reverse start
        boolean lstm = cell == CellKind.LSTM;

        ModelPass pass = model.newPass(batch, time);
        float[] out = pass.forward(x, lengths, h0, lstm ? c0 : null, false, null);
        ReferenceRecurrent ref = new ReferenceRecurrent(rc, p);
        double[] pd = toDouble(p.values());
        double[] xd = toDouble(x), h0d = toDouble(h0), c0d = toDouble(c0);
        ReferenceRecurrent.Result r = ref.forward(pd, xd, batch, time, lengths, h0d, lstm ? c0d : null);
        assertNear("out", r.out(), out, 1e-5);
        assertNear("hn", r.hn(), pass.hn(), 1e-5);
        if (lstm) assertNear("cn", r.cn(), pass.cn(), 1e-5);

        p.zeroGrad();
        pass.backward(dOut, dhn, lstm ? dcn : null);
        final int[] len = lengths;
        Loss loss = () -> {
            ReferenceRecurrent.Result q = ref.forward(pd, xd, batch, time, len, h0d, lstm ? c0d : null);
            double s = dot(q.out(), dOut) + dot(q.hn(), dhn);
            return lstm ? s + dot(q.cn(), dcn) : s;
        };
        checkAll("x", xd, pass.dInput(), loss);
        checkAll("h0", h0d, pass.dh0(), loss);
        if (lstm) checkAll("c0", c0d, pass.dc0(), loss);
        float[] grads = p.grads();
        for (Parameters.Param q : p.list()) {
            float[] g = new float[q.size()];
            System.arraycopy(grads, q.offset(), g, 0, q.size());
            checkSlice(q.name(), pd, q.offset(), q.size(), g, loss);
        }
    }

    interface Loss {
        double value();
    }

    private static void checkAll(String what, double[] v, float[] analytic, Loss loss) {
        checkSlice(what, v, 0, v.length, analytic, loss);
    }

    /** Central differences with h = 1e-6 on v[off .. off+n) against analytic[0 .. n). */
    private static void checkSlice(String what, double[] v, int off, int n, float[] analytic, Loss loss) {
        double h = 1e-6;
        for (int i = 0; i < n; i++) {
            double keep = v[off + i];
            v[off + i] = keep + h;
            double up = loss.value();
            v[off + i] = keep - h;
            double down = loss.value();
            v[off + i] = keep;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - analytic[i]);
            assertTrue(err <= 2e-4 + 1e-4 * Math.abs(numeric),
                    what + "[" + i + "]: finite difference " + numeric + ", backward " + analytic[i] + " (|diff| " + err + ")");
        }
    }

    private static void assertNear(String what, double[] expected, float[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])), what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static float[] randn(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
