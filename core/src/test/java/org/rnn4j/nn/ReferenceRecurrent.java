package org.rnn4j.nn;

/**
 * A plain double-precision recurrent stack written straight from the equations, batch-first, one
 * sequence and one step at a time, no GEMMs, no workspaces: the reference the fast runner is
 * compared with, and the function finite differences are taken of.
 *
 * <p>Parameters come from a {@link Parameters} layout (names as PyTorch) but as a double[] copy.
 */
final class ReferenceRecurrent {
    final RecurrentConfig c;
    final Parameters layout;

    ReferenceRecurrent(RecurrentConfig c, Parameters layout) {
        this.c = c;
        this.layout = layout;
    }

    /** Result of a forward pass: out [B, T, D*H], hn and cn [L*D, B, H]. */
    record Result(double[] out, double[] hn, double[] cn) {}

    double[] w(double[] params, String name) {
        Parameters.Param p = layout.get(name);
        double[] r = new double[p.size()];
        System.arraycopy(params, p.offset(), r, 0, p.size());
        return r;
    }

    Result forward(double[] params, double[] x, int batch, int time, int[] lengths, double[] h0, double[] c0) {
        int H = c.hiddenSize(), D = c.directions(), L = c.numLayers(), G = c.cell().gates();
        double[] in = x;
        int inSize = c.inputSize();
        double[] hn = new double[L * D * batch * H], cn = new double[L * D * batch * H];
        for (int layer = 0; layer < L; layer++) {
            double[] out = new double[batch * time * D * H];
            for (int dir = 0; dir < D; dir++) {
                String sfx = "_l" + layer + (dir == 1 ? "_reverse" : "");
                double[] wih = w(params, "rnn.weight_ih" + sfx), whh = w(params, "rnn.weight_hh" + sfx);
                double[] bih = c.bias() ? w(params, "rnn.bias_ih" + sfx) : new double[G * H];
                double[] bhh = c.bias() ? w(params, "rnn.bias_hh" + sfx) : new double[G * H];
                int k = layer * D + dir;
                for (int b = 0; b < batch; b++) {
                    double[] h = new double[H], cc = new double[H];
                    for (int j = 0; j < H; j++) {
                        h[j] = h0 == null ? 0 : h0[(k * batch + b) * H + j];
                        cc[j] = c0 == null ? 0 : c0[(k * batch + b) * H + j];
                    }
                    int len = lengths == null ? time : lengths[b];
                    for (int s = 0; s < len; s++) {
                        int t = dir == 0 ? s : len - 1 - s;
                        double[] gxv = new double[G * H], ghv = new double[G * H];
                        for (int r = 0; r < G * H; r++) {
                            double sx = bih[r], sh = bhh[r];
                            for (int i = 0; i < inSize; i++) sx += wih[r * inSize + i] * in[(b * time + t) * inSize + i];
                            for (int i = 0; i < H; i++) sh += whh[r * H + i] * h[i];
                            gxv[r] = sx;
                            ghv[r] = sh;
                        }
                        double[] nh = new double[H];
                        for (int j = 0; j < H; j++) {
                            switch (c.cell()) {
                                case LSTM -> {
                                    double ig = sig(gxv[j] + ghv[j]), fg = sig(gxv[H + j] + ghv[H + j]);
                                    double gg = Math.tanh(gxv[2 * H + j] + ghv[2 * H + j]), og = sig(gxv[3 * H + j] + ghv[3 * H + j]);
                                    cc[j] = fg * cc[j] + ig * gg;
                                    nh[j] = og * Math.tanh(cc[j]);
                                }
                                case GRU -> {
                                    double rg = sig(gxv[j] + ghv[j]), zg = sig(gxv[H + j] + ghv[H + j]);
                                    double ng = Math.tanh(gxv[2 * H + j] + rg * ghv[2 * H + j]);
                                    nh[j] = (1 - zg) * ng + zg * h[j];
                                }
                                case RNN_TANH -> nh[j] = Math.tanh(gxv[j] + ghv[j]);
                                case RNN_RELU -> nh[j] = Math.max(0, gxv[j] + ghv[j]);
                            }
                        }
                        h = nh;
                        for (int j = 0; j < H; j++) out[(b * time + t) * D * H + dir * H + j] = h[j];
                    }
                    for (int j = 0; j < H; j++) {
                        hn[(k * batch + b) * H + j] = h[j];
                        cn[(k * batch + b) * H + j] = cc[j];
                    }
                }
            }
            in = out;
            inSize = D * H;
        }
        return new Result(in, hn, cn);
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
