package org.rnn4j.nn;

import org.rnn4j.kernel.FusedCells;

/**
 * Elman RNN step: {@code h' = act(x + W_hh h + b_hh)}, act = tanh or relu (PyTorch's nonlinearity).
 * One fused vector pass per batch row ({@link FusedCells#rnnForward}).
 */
final class RnnCell extends RowCell {
    private final boolean relu;

    RnnCell(boolean relu) {
        super(1);
        this.relu = relu;
    }

    @Override
    void forwardRows(Step s, int b0, int b1) {
        final int h = s.hidden;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.rnnForward(h, relu, s.gx, s.gxOff + b * h, s.ghh, b * h, s.hs, s.hCur + b * h);
        }
    }

    @Override
    void backwardRows(Step s, int b0, int b1) {
        final int h = s.hidden;
        for (int b = b0; b < b1; b++) {
            if (!s.active[b]) continue;
            FusedCells.rnnBackward(h, relu, s.hs, s.hCur + b * h, s.dh, b * h,
                    s.dOut, s.dOutOff + b * s.dOutStride, s.dG, s.dGOff + b * h);
        }
    }
}
