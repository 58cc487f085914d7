package org.rnn4j.nn;

/**
 * LSTM step, PyTorch's formulas and gate order (i, f, g, o):
 * <pre>
 *   i = σ(x_i + h_i)   f = σ(x_f + h_f)   g = tanh(x_g + h_g)   o = σ(x_o + h_o)
 *   c' = f ⊙ c + i ⊙ g        h' = o ⊙ tanh(c')
 * </pre>
 * where x_* include b_ih and h_* include b_hh. The activations overwrite gx for backward.
 */
final class LstmCell implements Cell {

    @Override
    public void forward(Step s) {
        final int h = s.hidden, gh = 4 * h;
        final float[] gx = s.gx, ghh = s.ghh, hs = s.hs, cs = s.cs;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int g = s.gxOff + b * gh, r = b * gh;
            int prev = s.hPrev + b * h, cur = s.hCur + b * h;
            for (int j = 0; j < h; j++) {
                float i = Cell.sigmoid(gx[g + j] + ghh[r + j]);
                float f = Cell.sigmoid(gx[g + h + j] + ghh[r + h + j]);
                float gg = Cell.tanh(gx[g + 2 * h + j] + ghh[r + 2 * h + j]);
                float o = Cell.sigmoid(gx[g + 3 * h + j] + ghh[r + 3 * h + j]);
                float c = f * cs[prev + j] + i * gg;
                cs[cur + j] = c;
                hs[cur + j] = o * Cell.tanh(c);
                gx[g + j] = i;
                gx[g + h + j] = f;
                gx[g + 2 * h + j] = gg;
                gx[g + 3 * h + j] = o;
            }
        }
    }

    @Override
    public void backward(Step s) {
        final int h = s.hidden, gh = 4 * h;
        final float[] gx = s.gx, cs = s.cs, dG = s.dG, dh = s.dh, dc = s.dc, dOut = s.dOut;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int g = s.gxOff + b * gh, d = s.dGOff + b * gh;
            int prev = s.hPrev + b * h, cur = s.hCur + b * h;
            int out = s.dOutOff + b * s.dOutStride;
            for (int j = 0; j < h; j++) {
                float i = gx[g + j], f = gx[g + h + j], gg = gx[g + 2 * h + j], o = gx[g + 3 * h + j];
                float tc = Cell.tanh(cs[cur + j]);
                float dhj = dh[b * h + j] + dOut[out + j];
                float dcj = dc[b * h + j] + dhj * o * (1 - tc * tc);
                dG[d + j] = dcj * gg * i * (1 - i);
                dG[d + h + j] = dcj * cs[prev + j] * f * (1 - f);
                dG[d + 2 * h + j] = dcj * i * (1 - gg * gg);
                dG[d + 3 * h + j] = dhj * tc * o * (1 - o);
                dc[b * h + j] = dcj * f;
                dh[b * h + j] = 0f;
            }
        }
    }
}
