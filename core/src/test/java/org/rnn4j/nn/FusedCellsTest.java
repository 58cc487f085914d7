package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused vector cells against the plain scalar ones ({@link ScalarCells}) on random steps: every
 * cell kind, hidden sizes around the vector width (1, odd, one lane short, one over), an inactive row
 * that both must leave untouched, non-zero time offsets, and a dOut stride wider than H (as in a
 * bidirectional layer). Every buffer either writes is compared, forward and backward.
 */
class FusedCellsTest {
    private static final int[] HIDDEN = {1, 3, 15, 16, 17, 31, 37, 64, 100};

    @Test
    void fusedCellsEqualScalarCells() {
        SplittableRandom rng = new SplittableRandom(42);
        for (CellKind kind : CellKind.values()) {
            for (int h : HIDDEN) {
                for (int trial = 0; trial < 3; trial++) compare(kind, h, 3, rng);
            }
        }
    }

    @Test
    void largeStepsSplitOverThreadsEqualScalarCells() {
        // B·H·G at or above RowCell.PARALLEL_MIN: the step is split by rows over the kernel pool
        SplittableRandom rng = new SplittableRandom(43);
        for (CellKind kind : CellKind.values()) compare(kind, 8200 / kind.gates() + 5, 9, rng);
    }

    private static void compare(CellKind kind, int h, int batch, SplittableRandom rng) {
        int time = 2, g = kind.gates(), gh = g * h, dirs = 2;
        Step ref = new Step(), fast = new Step();
        ref.batch = fast.batch = batch;
        ref.hidden = fast.hidden = h;
        boolean[] active = new boolean[batch];
        for (int b = 0; b < batch; b++) active[b] = b != 1;
        ref.active = fast.active = active;
        // the step at t = 1 of a forward direction: prev state block 1, current block 2
        float[] gx = random(time * batch * gh, 3, rng), ghh = random(batch * gh, 3, rng);
        float[] hs = random((time + 1) * batch * h, 1, rng), cs = random((time + 1) * batch * h, 2, rng);
        float[] aux = random(time * batch * h, 1, rng);
        float[] dOut = random(time * batch * h * dirs, 1, rng);
        float[] dh = random(batch * h, 1, rng), dc = random(batch * h, 1, rng);
        float[] dG = random(time * batch * gh, 1, rng), dGh = random(time * batch * gh, 1, rng);
        fill(ref, gx, ghh, hs, cs, aux, dOut, dh, dc, dG, dGh, h, batch, gh);
        fill(fast, gx, ghh, hs, cs, aux, dOut, dh, dc, dG, dGh, h, batch, gh);
        String what = kind + " H=" + h;

        ScalarCells.of(kind).forward(ref);
        Cell.of(kind).forward(fast);
        same(what + " forward gx/activations", ref.gx, fast.gx);
        same(what + " forward hs", ref.hs, fast.hs);
        if (kind == CellKind.LSTM) same(what + " forward cs", ref.cs, fast.cs);
        if (kind == CellKind.GRU) same(what + " forward aux", ref.aux, fast.aux);

        // backward from the same activations, so only the backward formulas are compared
        fast.gx = ref.gx.clone();
        fast.hs = ref.hs.clone();
        if (ref.cs != null) fast.cs = ref.cs.clone();
        if (ref.aux != null) fast.aux = ref.aux.clone();
        ScalarCells.of(kind).backward(ref);
        Cell.of(kind).backward(fast);
        same(what + " backward dG", ref.dG, fast.dG);
        if (kind == CellKind.GRU) same(what + " backward dGh", ref.dGh, fast.dGh);
        same(what + " backward dh", ref.dh, fast.dh);
        if (kind == CellKind.LSTM) same(what + " backward dc", ref.dc, fast.dc);
    }

    private static void fill(Step s, float[] gx, float[] ghh, float[] hs, float[] cs, float[] aux, float[] dOut,
                             float[] dh, float[] dc, float[] dG, float[] dGh, int h, int batch, int gh) {
        s.gx = gx.clone();
        s.ghh = ghh.clone();
        s.hs = hs.clone();
        s.cs = cs.clone();
        s.aux = aux.clone();
        s.dOut = dOut.clone();
        s.dh = dh.clone();
        s.dc = dc.clone();
        s.dG = dG.clone();
        s.dGh = dGh.clone();
        s.gxOff = batch * gh;
        s.dGOff = batch * gh;
        s.hPrev = batch * h;
        s.hCur = 2 * batch * h;
        s.auxOff = batch * h;
        s.dOutStride = 2 * h;
        s.dOutOff = batch * 2 * h + h;
    }

    private static void same(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 2e-6 * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": index " + i + " is " + actual[i] + ", scalar reference " + expected[i]);
            }
        }
    }

    private static float[] random(int n, double scale, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return x;
    }
}
