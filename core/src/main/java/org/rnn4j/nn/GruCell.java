package org.rnn4j.nn;

import org.rnn4j.kernel.FusedCells;

/**
 * GRU step, PyTorch's formulas and gate order (r, z, n):
 * <pre>
 *   r = σ(x_r + h_r)   z = σ(x_z + h_z)   n = tanh(x_n + r ⊙ h_n)   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * where x_* include b_ih and h_* = W_h* h + b_h*; the reset gate multiplies (W_hn h + b_hn), which is
 * why h_n is cached per step in aux and why the input- and recurrent-side gradients differ in n.
 * One fused vector pass per batch row ({@link FusedCells#gruForward}).
 */
final class GruCell extends RowCell {

    GruCell() {
        super(3);
    }

    @Override
    void forwardRows(Step s, int b0, int b1) {
        final int h = s.hidden, gh = 3 * h;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.gruForward(h, s.gx, s.gxOff + b * gh, s.ghh, b * gh,
                    s.hs, s.hPrev + b * h, s.hCur + b * h, s.aux, s.auxOff + b * h);
        }
    }

    @Override
    void backwardRows(Step s, int b0, int b1) {
        final int h = s.hidden, gh = 3 * h;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.gruBackward(h, s.gx, s.gxOff + b * gh, s.hs, s.hPrev + b * h, s.aux, s.auxOff + b * h,
                    s.dh, b * h, s.dOut, s.dOutOff + b * s.dOutStride, s.dG, s.dGh, s.dGOff + b * gh);
        }
    }
}
