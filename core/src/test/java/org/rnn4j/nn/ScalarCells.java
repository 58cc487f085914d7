package org.rnn4j.nn;

/**
 * The plain scalar cells, kept as the reference the fused vector cells ({@link LstmCell},
 * {@link GruCell}, {@link RnnCell} over {@code org.rnn4j.kernel.FusedCells}) are tested against:
 * the formulas exactly as in the cells' Javadoc, sigmoid and tanh in double precision.
 */
final class ScalarCells {
    private ScalarCells() {}

    static Cell of(CellKind kind) {
        return switch (kind) {
            case LSTM -> new Lstm();
            case GRU -> new Gru();
            case RNN_TANH -> new Rnn(false);
            case RNN_RELU -> new Rnn(true);
        };
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    static final class Lstm implements Cell {

        @Override
        public void forward(Step s) {
            final int h = s.hidden, gh = 4 * h;
            final float[] gx = s.gx, ghh = s.ghh, hs = s.hs, cs = s.cs;
            for (int b = 0; b < s.batch; b++) {
                if (!s.active[b]) continue;
                int g = s.gxOff + b * gh, r = b * gh;
                int prev = s.hPrev + b * h, cur = s.hCur + b * h;
                for (int j = 0; j < h; j++) {
                    float i = sigmoid(gx[g + j] + ghh[r + j]);
                    float f = sigmoid(gx[g + h + j] + ghh[r + h + j]);
                    float gg = tanh(gx[g + 2 * h + j] + ghh[r + 2 * h + j]);
                    float o = sigmoid(gx[g + 3 * h + j] + ghh[r + 3 * h + j]);
                    float c = f * cs[prev + j] + i * gg;
                    cs[cur + j] = c;
                    hs[cur + j] = o * tanh(c);
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
                    float tc = tanh(cs[cur + j]);
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

    static final class Gru implements Cell {

        @Override
        public void forward(Step s) {
            final int h = s.hidden, gh = 3 * h;
            final float[] gx = s.gx, ghh = s.ghh, hs = s.hs, aux = s.aux;
            for (int b = 0; b < s.batch; b++) {
                if (!s.active[b]) continue;
                int g = s.gxOff + b * gh, r0 = b * gh;
                int prev = s.hPrev + b * h, cur = s.hCur + b * h, a = s.auxOff + b * h;
                for (int j = 0; j < h; j++) {
                    float r = sigmoid(gx[g + j] + ghh[r0 + j]);
                    float z = sigmoid(gx[g + h + j] + ghh[r0 + h + j]);
                    float hn = ghh[r0 + 2 * h + j];
                    float n = tanh(gx[g + 2 * h + j] + r * hn);
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

    static final class Rnn implements Cell {
        private final boolean relu;

        Rnn(boolean relu) {
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
                    hs[cur + j] = relu ? Math.max(pre, 0f) : tanh(pre);
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
}
