package org.rnn4j.nn;

/** Elman RNN step: {@code h' = act(x + W_hh h + b_hh)}, act = tanh or relu (PyTorch's nonlinearity). */
final class RnnCell implements Cell {
    private final boolean relu;

    RnnCell(boolean relu) {
        this.relu = relu;
    }

    @Override
    public void forward(Step s) {
        final int h = s.hidden;
        final float[] gx = s.gx, ghh = s.ghh, hs = s.hs;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int g = s.gxOff + b * h, r = b * h, cur = s.hCur + b * h;
            for (int j = 0; j < h; j++) {
                float pre = gx[g + j] + ghh[r + j];
                hs[cur + j] = relu ? Math.max(pre, 0f) : Cell.tanh(pre);
            }
        }
    }

    @Override
    public void backward(Step s) {
        final int h = s.hidden;
        final float[] hs = s.hs, dG = s.dG, dh = s.dh, dOut = s.dOut;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int d = s.dGOff + b * h, cur = s.hCur + b * h;
            int out = s.dOutOff + b * s.dOutStride;
            for (int j = 0; j < h; j++) {
                float y = hs[cur + j];
                float dhj = dh[b * h + j] + dOut[out + j];
                dG[d + j] = relu ? (y > 0 ? dhj : 0f) : dhj * (1 - y * y);
                dh[b * h + j] = 0f;
            }
        }
    }
}
