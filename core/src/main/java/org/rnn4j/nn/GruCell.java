package org.rnn4j.nn;

/**
 * GRU step, PyTorch's formulas and gate order (r, z, n):
 * <pre>
 *   r = σ(x_r + h_r)   z = σ(x_z + h_z)   n = tanh(x_n + r ⊙ h_n)   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * where x_* include b_ih and h_* = W_h* h + b_h*; the reset gate multiplies (W_hn h + b_hn), which is
 * why h_n is cached per step in aux and why the input- and recurrent-side gradients differ in n.
 */
final class GruCell implements Cell {

    @Override
    public void forward(Step s) {
        final int h = s.hidden, gh = 3 * h;
        final float[] gx = s.gx, ghh = s.ghh, hs = s.hs, aux = s.aux;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int g = s.gxOff + b * gh, r0 = b * gh;
            int prev = s.hPrev + b * h, cur = s.hCur + b * h, a = s.auxOff + b * h;
            for (int j = 0; j < h; j++) {
                float r = Cell.sigmoid(gx[g + j] + ghh[r0 + j]);
                float z = Cell.sigmoid(gx[g + h + j] + ghh[r0 + h + j]);
                float hn = ghh[r0 + 2 * h + j];
                float n = Cell.tanh(gx[g + 2 * h + j] + r * hn);
                hs[cur + j] = (1 - z) * n + z * hs[prev + j];
                gx[g + j] = r;
                gx[g + h + j] = z;
                gx[g + 2 * h + j] = n;
                aux[a + j] = hn;
            }
        }
    }

    @Override
    public void backward(Step s) {
        final int h = s.hidden, gh = 3 * h;
        final float[] gx = s.gx, hs = s.hs, aux = s.aux, dG = s.dG, dGh = s.dGh, dh = s.dh, dOut = s.dOut;
        for (int b = 0; b < s.batch; b++) {
            if (!s.active[b]) continue;
            int g = s.gxOff + b * gh, d = s.dGOff + b * gh;
            int prev = s.hPrev + b * h, a = s.auxOff + b * h;
            int out = s.dOutOff + b * s.dOutStride;
            for (int j = 0; j < h; j++) {
                float r = gx[g + j], z = gx[g + h + j], n = gx[g + 2 * h + j];
                float dhj = dh[b * h + j] + dOut[out + j];
                float dn = dhj * (1 - z) * (1 - n * n);
                float dz = dhj * (hs[prev + j] - n) * z * (1 - z);
                float dr = dn * aux[a + j] * r * (1 - r);
                dG[d + j] = dr;
                dG[d + h + j] = dz;
                dG[d + 2 * h + j] = dn;
                dGh[d + j] = dr;
                dGh[d + h + j] = dz;
                dGh[d + 2 * h + j] = dn * r;
                dh[b * h + j] = dhj * z;
            }
        }
    }
}
