package org.rnn4j.nn;

import org.rnn4j.tensor.Rng;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.nn.Parameters.Param;

/**
 * A stacked, optionally bidirectional recurrent layer (RNN, LSTM or GRU) with exact backpropagation
 * through time; PyTorch's formulas, gate order and parameter names ({@code weight_ih_l0},
 * {@code bias_hh_l1_reverse}, ...).
 *
 * <p>This class is the sequence runner: it owns the time loop, directions, masking and stacking; the
 * pointwise math of a step is a {@link Cell}. Per layer and direction, forward is one GEMM for the input
 * projection of all T steps, then per step one recurrent GEMM and one pointwise pass. Backward runs the
 * steps in reverse, then computes the weight gradients and the input gradient as one GEMM each over all
 * steps. Nothing is allocated inside the time loop.
 *
 * <p>Shapes (time-major inside): x [T, B, I]; output [T, B, D*H]; h0, c0, hn, cn [L*D, B, H].
 * Variable lengths: steps t ≥ length[b] leave the state unchanged, output 0 and pass no gradient, so
 * the final state is each sequence's own last step and the reverse direction starts at it — as with
 * PyTorch's packed sequences.
 *
 * <p>State indexing: {@code hs[(index)*B*H]} holds [B, H]. Forward direction: h0 at index 0 and the
 * state after time t at t+1. Reverse: h0 at index T and the state after time t at t. Then the previous
 * states of all times form one contiguous block ([0, T) or [1, T+1)), so dW_hh is one GEMM.
 */
public final class Recurrent {
    private final RecurrentConfig config;
    private final Cell cell;
    private final Param[] wIh;
    private final Param[] wHh;
    private final Param[] bIh;
    private final Param[] bHh;

    /** Declares this layer's parameters under {@code prefix} (e.g. "rnn.") in PyTorch's order. */
    public Recurrent(RecurrentConfig config, Parameters.Builder builder, String prefix) {
        this.config = config;
        this.cell = Cell.of(config.cell());
        int l = config.numLayers(), d = config.directions();
        int gh = config.cell().gates() * config.hiddenSize();
        wIh = new Param[l * d];
        wHh = new Param[l * d];
        bIh = new Param[l * d];
        bHh = new Param[l * d];
        for (int layer = 0; layer < l; layer++) {
            for (int dir = 0; dir < d; dir++) {
                int k = layer * d + dir;
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                wIh[k] = builder.add(prefix + "weight_ih" + suffix, gh, config.layerInputSize(layer));
                wHh[k] = builder.add(prefix + "weight_hh" + suffix, gh, config.hiddenSize());
                if (config.bias()) {
                    bIh[k] = builder.add(prefix + "bias_ih" + suffix, gh);
                    bHh[k] = builder.add(prefix + "bias_hh" + suffix, gh);
                }
            }
        }
    }

    public RecurrentConfig config() {
        return config;
    }

    public RecurrentWorkspace workspace(int batch, int time) {
        return new RecurrentWorkspace(config, batch, time);
    }

    /** Fills this layer's parameters by {@code init}, drawing from {@code rng}. */
    public void initialize(Parameters p, Init init, Rng rng) {
        float[] v = p.values();
        int h = config.hiddenSize(), g = config.cell().gates();
        for (int k = 0; k < wIh.length; k++) {
            if (init == Init.PYTORCH) {
                float bound = (float) (1.0 / Math.sqrt(h));
                for (Param q : new Param[] {wIh[k], wHh[k], bIh[k], bHh[k]}) {
                    if (q != null) Initializers.uniform(v, q.offset(), q.size(), bound, rng);
                }
                continue;
            }
            int in = wIh[k].shape()[1];
            for (int gate = 0; gate < g; gate++) {
                Initializers.xavierUniform(v, wIh[k].offset() + gate * h * in, h, in, rng);
                if (init == Init.ORTHOGONAL) {
                    Initializers.orthogonal(v, wHh[k].offset() + gate * h * h, h, rng);
                } else {
                    Initializers.xavierUniform(v, wHh[k].offset() + gate * h * h, h, h, rng);
                }
            }
            if (config.bias()) {
                java.util.Arrays.fill(v, bIh[k].offset(), bIh[k].offset() + bIh[k].size(), 0f);
                java.util.Arrays.fill(v, bHh[k].offset(), bHh[k].offset() + bHh[k].size(), 0f);
                if (config.cell() == CellKind.LSTM) {
                    java.util.Arrays.fill(v, bIh[k].offset() + h, bIh[k].offset() + 2 * h, 1f);
                }
            }
        }
    }

    /**
     * Runs the whole sequence.
     *
     * @param x       [T, B, I] time-major input
     * @param lengths [B] valid steps per sequence (1..T), or null for all T
     * @param h0      [L*D, B, H] or null for zeros
     * @param c0      [L*D, B, H] or null for zeros (LSTM only)
     * @param rng     dropout randomness; only used when training with dropout > 0
     */
    public void forward(Parameters p, RecurrentWorkspace ws, float[] x, int[] lengths, float[] h0, float[] c0,
                        boolean training, Rng rng) {
        checkWorkspace(ws);
        int T = ws.time, B = ws.batch, H = config.hiddenSize(), D = config.directions(), L = config.numLayers();
        int GH = config.cell().gates() * H, DH = config.outputSize();
        requireLength("x", x, T * B * config.inputSize());
        if (h0 != null) requireLength("h0", h0, L * D * B * H);
        if (c0 != null) requireLength("c0", c0, L * D * B * H);
        setLengths(ws, lengths);
        boolean dropout = training && config.dropout() > 0 && L > 1;
        ws.droppedOut = dropout;
        ws.lastInput = x;
        float[] v = p.values();
        Step s = ws.step;
        s.batch = B;
        s.hidden = H;
        s.active = ws.active;
        s.ghh = ws.ghh;

        for (int layer = 0; layer < L; layer++) {
            float[] in = layer == 0 ? x : (dropout ? ws.dropped[layer - 1] : ws.layerOut[layer - 1]);
            int inSize = config.layerInputSize(layer);
            float[] out = ws.layerOut[layer];
            for (int dir = 0; dir < D; dir++) {
                int k = layer * D + dir;
                float[] gx = ws.gx[k], hs = ws.hs[k];
                // x · W_ihᵀ straight from W_ih [GH, in]: the GEMM transposes while it packs, once per call.
                // W_hh is transposed once per call for the T per-step products, except at batch 1, where
                // each step is a matrix-vector product over W_hh's rows and a copy would cost more than
                // the step (streaming inference calls forward once per time step).
                boolean rowVector = B == 1;
                if (!rowVector) Gemm.transpose(GH, H, v, wHh[k].offset(), H, ws.wHhT[k], 0);
                if (config.bias()) Gemm.broadcastRows(T * B, GH, v, bIh[k].offset(), gx, 0, GH, false);
                Gemm.nt(T * B, GH, inSize, in, 0, inSize, v, wIh[k].offset(), inSize, gx, 0, GH, config.bias(), null);

                int h0Index = dir == 0 ? 0 : T;
                copyOrZero(h0, k * B * H, hs, h0Index * B * H, B * H);
                if (ws.cs != null) copyOrZero(c0, k * B * H, ws.cs[k], h0Index * B * H, B * H);
                s.gx = gx;
                s.hs = hs;
                s.cs = ws.cs == null ? null : ws.cs[k];
                s.aux = ws.aux == null ? null : ws.aux[k];
                for (int step = 0; step < T; step++) {
                    int t = dir == 0 ? step : T - 1 - step;
                    int prev = dir == 0 ? t : t + 1, cur = dir == 0 ? t + 1 : t;
                    markActive(ws, t);
                    s.gxOff = t * B * GH;
                    s.hPrev = prev * B * H;
                    s.hCur = cur * B * H;
                    s.auxOff = t * B * H;
                    if (config.bias()) Gemm.broadcastRows(B, GH, v, bHh[k].offset(), ws.ghh, 0, GH, false);
                    if (rowVector) {
                        Gemm.nt(1, GH, H, hs, s.hPrev, H, v, wHh[k].offset(), H, ws.ghh, 0, GH, config.bias(), null);
                    } else {
                        Gemm.nn(B, GH, H, hs, s.hPrev, H, ws.wHhT[k], 0, GH, ws.ghh, 0, GH, config.bias());
                    }
                    cell.forward(s);
                    carryInactive(ws, hs, s.hPrev, s.hCur, H);
                    if (s.cs != null) carryInactive(ws, s.cs, s.hPrev, s.hCur, H);
                    for (int b = 0; b < B; b++) {
                        int o = (t * B + b) * DH + dir * H;
                        if (ws.active[b]) System.arraycopy(hs, s.hCur + b * H, out, o, H);
                        else java.util.Arrays.fill(out, o, o + H, 0f);
                    }
                }
                int last = dir == 0 ? T : 0;
                System.arraycopy(hs, last * B * H, ws.hn, k * B * H, B * H);
                if (ws.cs != null) System.arraycopy(ws.cs[k], last * B * H, ws.cn, k * B * H, B * H);
            }
            if (dropout && layer < L - 1) applyDropout(out, ws.dropMask[layer], ws.dropped[layer], rng);
        }
        ws.hasForward = true;
    }

    /**
     * Backpropagates through the last forward of {@code ws}, adding parameter gradients into
     * {@code p.grads()} and leaving dInput, dh0, dc0 in the workspace.
     *
     * @param dOut [T, B, D*H] gradient of the top layer's output (padded steps ignored)
     * @param dhn  [L*D, B, H] gradient of the final hidden states, or null
     * @param dcn  [L*D, B, H] gradient of the final cell states, or null (LSTM)
     */
    public void backward(Parameters p, RecurrentWorkspace ws, float[] dOut, float[] dhn, float[] dcn) {
        backward(p, ws, dOut, dhn, dcn, null);
    }

    /**
     * As {@link #backward(Parameters, RecurrentWorkspace, float[], float[], float[])}, calling
     * {@code hook} after every step with the gradient dL/dh reaching the state before it.
     */
    public void backward(Parameters p, RecurrentWorkspace ws, float[] dOut, float[] dhn, float[] dcn,
                         StateGradientHook hook) {
        checkWorkspace(ws);
        if (!ws.hasForward) throw new IllegalStateException("backward called before forward on this workspace");
        int T = ws.time, B = ws.batch, H = config.hiddenSize(), D = config.directions(), L = config.numLayers();
        int GH = config.cell().gates() * H, DH = config.outputSize();
        requireLength("dOut", dOut, T * B * DH);
        if (dhn != null) requireLength("dhn", dhn, L * D * B * H);
        if (dcn != null) requireLength("dcn", dcn, L * D * B * H);
        float[] v = p.values(), grad = p.grads();
        Step s = ws.step;

        float[] dAbove = dOut;
        for (int layer = L - 1; layer >= 0; layer--) {
            float[] in = layer == 0 ? null : (ws.droppedOut ? ws.dropped[layer - 1] : ws.layerOut[layer - 1]);
            int inSize = config.layerInputSize(layer);
            float[] dIn = ws.dLayerIn[layer];
            for (int dir = 0; dir < D; dir++) {
                int k = layer * D + dir;
                float[] hs = ws.hs[k];
                copyOrZero(dhn, k * B * H, ws.dh, 0, B * H);
                copyOrZero(dcn, k * B * H, ws.dc, 0, B * H);
                s.gx = ws.gx[k];
                s.hs = hs;
                s.cs = ws.cs == null ? null : ws.cs[k];
                s.aux = ws.aux == null ? null : ws.aux[k];
                s.dOut = dAbove;
                s.dOutStride = DH;
                s.dh = ws.dh;
                s.dc = ws.dc;
                s.dG = ws.dG;
                s.dGh = ws.dGh;
                for (int step = T - 1; step >= 0; step--) {
                    int t = dir == 0 ? step : T - 1 - step;
                    int prev = dir == 0 ? t : t + 1, cur = dir == 0 ? t + 1 : t;
                    markActive(ws, t);
                    s.gxOff = t * B * GH;
                    s.dGOff = t * B * GH;
                    s.hPrev = prev * B * H;
                    s.hCur = cur * B * H;
                    s.auxOff = t * B * H;
                    s.dOutOff = t * B * DH + dir * H;
                    cell.backward(s);
                    for (int b = 0; b < B; b++) {
                        if (ws.active[b]) continue;
                        java.util.Arrays.fill(ws.dG, s.dGOff + b * GH, s.dGOff + (b + 1) * GH, 0f);
                        if (ws.dGh != ws.dG) java.util.Arrays.fill(ws.dGh, s.dGOff + b * GH, s.dGOff + (b + 1) * GH, 0f);
                    }
                    // dh_prev = (direct part written by the cell) + dGh · W_hh
                    Gemm.nn(B, H, GH, ws.dGh, s.dGOff, GH, v, wHh[k].offset(), H, ws.dh, 0, H, true);
                    if (hook != null) hook.afterStep(layer, dir, t, ws.dh, B, H);
                }
                System.arraycopy(ws.dh, 0, ws.dh0, k * B * H, B * H);
                System.arraycopy(ws.dc, 0, ws.dc0, k * B * H, B * H);

                int prevBase = (dir == 0 ? 0 : 1) * B * H;
                float[] input = layer == 0 ? ws.lastInput : in;
                Gemm.tn(GH, inSize, T * B, ws.dG, 0, GH, input, 0, inSize, grad, wIh[k].offset(), inSize, true);
                Gemm.tn(GH, H, T * B, ws.dGh, 0, GH, hs, prevBase, H, grad, wHh[k].offset(), H, true);
                if (config.bias() && ws.dGh == ws.dG) {
                    // LSTM and RNN: both biases get the same column sums; sum once, add twice
                    java.util.Arrays.fill(ws.biasGrad, 0f);
                    Gemm.addColumnSums(T * B, GH, ws.dG, 0, GH, ws.biasGrad, 0);
                    addInto(ws.biasGrad, grad, bIh[k].offset(), GH);
                    addInto(ws.biasGrad, grad, bHh[k].offset(), GH);
                } else if (config.bias()) {
                    Gemm.addColumnSums(T * B, GH, ws.dG, 0, GH, grad, bIh[k].offset());
                    Gemm.addColumnSums(T * B, GH, ws.dGh, 0, GH, grad, bHh[k].offset());
                }
                if (layer > 0 || ws.inputGradient) {
                    Gemm.nn(T * B, inSize, GH, ws.dG, 0, GH, v, wIh[k].offset(), inSize, dIn, 0, inSize, dir > 0);
                }
            }
            if (layer > 0 && ws.droppedOut) {
                float[] mask = ws.dropMask[layer - 1];
                for (int i = 0; i < dIn.length; i++) dIn[i] *= mask[i];
            }
            dAbove = dIn;
        }
    }

    /** Receives dL/dh of the state before step t of (layer, dir), as [B, H] in {@code dh}. */
    @FunctionalInterface
    public interface StateGradientHook {
        void afterStep(int layer, int dir, int t, float[] dh, int batch, int hidden);
    }

    private void checkWorkspace(RecurrentWorkspace ws) {
        if (ws.config != config) throw new IllegalArgumentException("workspace was made for another layer");
    }

    private static void requireLength(String name, float[] a, int expected) {
        if (a.length != expected) {
            throw new org.rnn4j.tensor.ShapeException(name + ": expected " + expected + " values, got " + a.length);
        }
    }

    private static void setLengths(RecurrentWorkspace ws, int[] lengths) {
        if (lengths == null) {
            java.util.Arrays.fill(ws.lengths, ws.time);
            return;
        }
        if (lengths.length != ws.batch) {
            throw new org.rnn4j.tensor.ShapeException("lengths: expected " + ws.batch + " values (one per sequence), got " + lengths.length);
        }
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > ws.time) {
                throw new IllegalArgumentException("lengths[" + b + "] must be in [0, " + ws.time + "], got " + lengths[b]);
            }
        }
        System.arraycopy(lengths, 0, ws.lengths, 0, lengths.length);
    }

    private static void markActive(RecurrentWorkspace ws, int t) {
        for (int b = 0; b < ws.batch; b++) ws.active[b] = t < ws.lengths[b];
    }

    /** Inactive rows keep their state: copy prev → cur. */
    private static void carryInactive(RecurrentWorkspace ws, float[] states, int prev, int cur, int h) {
        for (int b = 0; b < ws.batch; b++) {
            if (!ws.active[b]) System.arraycopy(states, prev + b * h, states, cur + b * h, h);
        }
    }

    private static void addInto(float[] src, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] += src[i];
    }

    private static void copyOrZero(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (src == null) java.util.Arrays.fill(dst, dstOff, dstOff + n, 0f);
        else System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    private void applyDropout(float[] out, float[] mask, float[] dropped, Rng rng) {
        if (rng == null) throw new IllegalArgumentException("training with dropout needs a random generator");
        float keep = (float) (1 - config.dropout());
        float scale = 1f / keep;
        rng.dropoutMask(mask, 0, out.length, keep, scale);
        for (int i = 0; i < out.length; i++) dropped[i] = out[i] * mask[i];
    }
}
