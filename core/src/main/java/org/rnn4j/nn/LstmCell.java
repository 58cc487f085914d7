package org.rnn4j.nn;

import org.rnn4j.kernel.FusedCells;

/**
 * LSTM step, PyTorch's formulas and gate order (i, f, g, o):
 * <pre>
 *   i = σ(x_i + h_i)   f = σ(x_f + h_f)   g = tanh(x_g + h_g)   o = σ(x_o + h_o)
 *   c' = f ⊙ c + i ⊙ g        h' = o ⊙ tanh(c')
 * </pre>
 * where x_* include b_ih and h_* include b_hh. The activations overwrite gx for backward. The math is
 * one fused vector pass per batch row ({@link FusedCells#lstmForward}); the plain scalar version it is
 * tested against lives in the tests (ScalarCells).
 */
final class LstmCell extends RowCell {

    LstmCell() {
        super(4);
    }

    @Override
    void forwardRows(Step s, int b0, int b1) {
        final int h = s.hidden, gh = 4 * h;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.lstmForward(h, s.gx, s.gxOff + b * gh, s.ghh, b * gh,
                    s.cs, s.hPrev + b * h, s.hCur + b * h, s.hs, s.hCur + b * h);
        }
    }

    @Override
    void backwardRows(Step s, int b0, int b1) {
        final int h = s.hidden, gh = 4 * h;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.lstmBackward(h, s.gx, s.gxOff + b * gh, s.cs, s.hPrev + b * h, s.hCur + b * h,
                    s.dh, s.dc, b * h, s.dOut, s.dOutOff + b * s.dOutStride, s.dG, s.dGOff + b * gh);
        }
    }
}
