package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.nn.Parameters.Param;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.ShapeException;

/**
 * A stacked, forward-only recurrent layer (RNN, LSTM or GRU) driven <em>one step at a time</em> by its
 * caller, for models whose input at step t depends on their output at step t-1 (a decoder with input
 * feeding, generation). Same cells, formulas, gate order and parameter names as {@link Recurrent}
 * ({@code <prefix>weight_ih_l0}, ...), so a PyTorch {@code nn.LSTM(num_layers=L)} called once per step
 * is the same computation.
 *
 * <p>Protocol for one sequence batch: {@link #start} (sets h0/c0, transposes the weights once), then
 * {@link #step} for t = 0, 1, ..., T-1. Backward: {@link #startBackward}, {@link #backwardStep} for
 * t = T-1 down to 0 (each returns dL/dx_t, which the caller may feed back into step t-1's output), then
 * {@link #finishBackward}, which adds the weight gradients of all steps as one GEMM each.
 *
 * <p>Shapes: x_t [B, I]; states [L, B, H]; layer l's output at step t is [B, H] in
 * {@code hs[l]} at offset (t+1)*B*H ({@link #outputOffset}). Rows with {@code t >= lengths[b]} are
 * inactive: their state is carried unchanged, they pass no gradient, and their dx is 0 — so padded
 * target steps never touch states or gradients.
 *
 * <p>Workspaces have a capacity (B_max, T_max); each pass may use any B ≤ B_max, T ≤ T_max and
 * lays its arrays out densely for that B, so one workspace serves every bucket of a training run and
 * nothing is allocated per batch or per step.
 */
public final class StepwiseRecurrent {
    private final RecurrentConfig config;
    private final Cell cell;
    private final Param[] wIh;
    private final Param[] wHh;
    private final Param[] bIh;
    private final Param[] bHh;

    /** Declares the parameters under {@code prefix} in PyTorch's order; {@code config} must be unidirectional. */
    public StepwiseRecurrent(RecurrentConfig config, Parameters.Builder builder, String prefix) {
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a step-wise recurrent layer runs forward in time only; bidirectional must be false");
        }
        this.config = config;
        this.cell = Cell.of(config.cell());
        int l = config.numLayers();
        int gh = config.cell().gates() * config.hiddenSize();
        wIh = new Param[l];
        wHh = new Param[l];
        bIh = new Param[l];
        bHh = new Param[l];
        for (int layer = 0; layer < l; layer++) {
            String suffix = "_l" + layer;
            wIh[layer] = builder.add(prefix + "weight_ih" + suffix, gh, config.layerInputSize(layer));
            wHh[layer] = builder.add(prefix + "weight_hh" + suffix, gh, config.hiddenSize());
            if (config.bias()) {
                bIh[layer] = builder.add(prefix + "bias_ih" + suffix, gh);
                bHh[layer] = builder.add(prefix + "bias_hh" + suffix, gh);
            }
        }
    }

    public RecurrentConfig config() {
        return config;
    }

    /** Every weight and bias U(-bound, bound) (PyTorch's default is bound = 1/sqrt(H)). */
    public void initializeUniform(Parameters p, float bound, Rng rng) {
        for (int k = 0; k < wIh.length; k++) {
            for (Param q : new Param[] {wIh[k], wHh[k], bIh[k], bHh[k]}) {
                if (q != null) Initializers.uniform(p.values(), q.offset(), q.size(), bound, rng);
            }
        }
    }

    public Workspace workspace(int batchCapacity, int timeCapacity) {
        return new Workspace(config, batchCapacity, timeCapacity);
    }

    /** Buffers for passes of up to (batchCapacity, timeCapacity); see the class comment. */
    public static final class Workspace {
        final RecurrentConfig config;
        final int batchCap;
        final int timeCap;
        int batch;
        int time;
        final float[] xs;          // [T*B*I] inputs of layer 0 (needed for dW_ih)
        final float[][] gx;        // [L][T*B*GH] input projections, then gate activations
        final float[][] hs;        // [L][(T+1)*B*H] states: h0 at block 0, after step t at block t+1
        final float[][] cs;        // [L][(T+1)*B*H] LSTM cell states, or null
        final float[][] aux;       // [L][T*B*H] GRU W_hn h + b_hn, or null
        final float[][] dropMask;  // [L-1][T*B*H] inverted-dropout scale of layer l's output
        final float[][] dropped;   // [L-1][T*B*H] layer l's output after dropout (input of layer l+1)
        final float[][] wIhT;      // [L][in*GH]
        final float[][] wHhT;      // [L][H*GH]
        final float[] ghh;         // [B*GH]
        final float[][] dG;        // [L][T*B*GH]
        final float[][] dGh;       // [L][T*B*GH] (aliases dG except GRU)
        final float[][] dh;        // [L][B*H] carried
        final float[][] dc;        // [L][B*H] carried
        final float[] dBetween;    // [B*H] gradient of the input of the layer above
        final float[] dh0;         // [L*B*H]
        final float[] dc0;         // [L*B*H]
        final boolean[] active;    // [B]
        final int[] lengths;       // [B]
        final Step step = new Step();
        boolean dropout;
        Rng rng;
        boolean started;
        int stepsDone;
        int backwardNext;

        Workspace(RecurrentConfig c, int batchCap, int timeCap) {
            if (batchCap <= 0) throw new IllegalArgumentException("batch capacity must be > 0, got " + batchCap);
            if (timeCap <= 0) throw new IllegalArgumentException("time capacity must be > 0, got " + timeCap);
            this.config = c;
            this.batchCap = batchCap;
            this.timeCap = timeCap;
            int l = c.numLayers(), h = c.hiddenSize(), gh = c.cell().gates() * h;
            int tb = Math.multiplyExact(timeCap, batchCap);
            xs = new float[Math.multiplyExact(tb, c.inputSize())];
            gx = new float[l][Math.multiplyExact(tb, gh)];
            hs = new float[l][Math.multiplyExact(tb + batchCap, h)];
            boolean lstm = c.cell() == CellKind.LSTM, gru = c.cell() == CellKind.GRU;
            cs = lstm ? new float[l][(tb + batchCap) * h] : null;
            aux = gru ? new float[l][tb * h] : null;
            boolean drop = c.dropout() > 0;
            dropMask = new float[l - 1][drop ? tb * h : 0];
            dropped = new float[l - 1][drop ? tb * h : 0];
            wIhT = new float[l][];
            wHhT = new float[l][h * gh];
            for (int layer = 0; layer < l; layer++) wIhT[layer] = new float[c.layerInputSize(layer) * gh];
            ghh = new float[batchCap * gh];
            dG = new float[l][tb * gh];
            dGh = new float[l][];
            for (int layer = 0; layer < l; layer++) dGh[layer] = gru ? new float[tb * gh] : dG[layer];
            dh = new float[l][batchCap * h];
            dc = new float[l][batchCap * h];
            dBetween = new float[batchCap * h];
            dh0 = new float[l * batchCap * h];
            dc0 = new float[l * batchCap * h];
            active = new boolean[batchCap];
            lengths = new int[batchCap];
        }

        public int batchCapacity() {
            return batchCap;
        }

        public int timeCapacity() {
            return timeCap;
        }

        /** Gradient w.r.t. h0, [L, B, H] for the B of the last pass, after {@link #finishBackward}. */
        public float[] dh0() {
            return dh0;
        }

        /** Gradient w.r.t. c0 (LSTM), [L, B, H], after {@link #finishBackward}. */
        public float[] dc0() {
            return dc0;
        }
    }

    /**
     * Begins a pass of {@code batch} sequences of up to {@code time} steps.
     *
     * @param lengths [B] steps per sequence (0..time), or null for all {@code time}
     * @param h0      [L, B, H] or null for zeros
     * @param c0      [L, B, H] or null for zeros (LSTM)
     * @param rng     dropout between layers when training; may be null otherwise
     */
    public void start(Parameters p, Workspace ws, int batch, int time, int[] lengths, float[] h0, float[] c0,
                      boolean training, Rng rng) {
        check(ws);
        if (batch <= 0 || batch > ws.batchCap) {
            throw new IllegalArgumentException("batch must be in [1, " + ws.batchCap + "] (the workspace capacity), got " + batch);
        }
        if (time <= 0 || time > ws.timeCap) {
            throw new IllegalArgumentException("time must be in [1, " + ws.timeCap + "] (the workspace capacity), got " + time);
        }
        int L = config.numLayers(), H = config.hiddenSize(), GH = config.cell().gates() * H;
        if (h0 != null && h0.length < L * batch * H) throw new ShapeException("h0: expected " + L * batch * H + " values (L*B*H), got " + h0.length);
        if (c0 != null && c0.length < L * batch * H) throw new ShapeException("c0: expected " + L * batch * H + " values (L*B*H), got " + c0.length);
        if (lengths == null) {
            Arrays.fill(ws.lengths, 0, batch, time);
        } else {
            if (lengths.length < batch) throw new ShapeException("lengths: expected " + batch + " values, got " + lengths.length);
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 0 || lengths[b] > time) {
                    throw new IllegalArgumentException("lengths[" + b + "] must be in [0, " + time + "], got " + lengths[b]);
                }
            }
            System.arraycopy(lengths, 0, ws.lengths, 0, batch);
        }
        ws.batch = batch;
        ws.time = time;
        ws.dropout = training && config.dropout() > 0 && L > 1;
        if (ws.dropout && rng == null) throw new IllegalArgumentException("training with dropout needs a random generator");
        ws.rng = rng;
        float[] v = p.values();
        for (int layer = 0; layer < L; layer++) {
            Gemm.transpose(GH, config.layerInputSize(layer), v, wIh[layer].offset(), config.layerInputSize(layer), ws.wIhT[layer], 0);
            Gemm.transpose(GH, H, v, wHh[layer].offset(), H, ws.wHhT[layer], 0);
            copyOrZero(h0, layer * batch * H, ws.hs[layer], 0, batch * H);
            if (ws.cs != null) copyOrZero(c0, layer * batch * H, ws.cs[layer], 0, batch * H);
        }
        ws.started = true;
        ws.stepsDone = 0;
        ws.backwardNext = -1;
    }

    /**
     * Runs step t (steps must come in order 0, 1, ...) on input x_t.
     *
     * @param x [B, I] from {@code xOff}
     */
    public void step(Parameters p, Workspace ws, int t, float[] x, int xOff) {
        check(ws);
        if (!ws.started) throw new IllegalStateException("step called before start");
        if (t != ws.stepsDone) throw new IllegalStateException("steps must run in order: expected step " + ws.stepsDone + ", got " + t);
        int B = ws.batch, H = config.hiddenSize(), GH = config.cell().gates() * H, I = config.inputSize(), L = config.numLayers();
        if (xOff < 0 || xOff + B * I > x.length) throw new ShapeException("x: expected " + B * I + " values (B*I) from offset " + xOff + ", got an array of " + x.length);
        System.arraycopy(x, xOff, ws.xs, t * B * I, B * I);
        for (int b = 0; b < B; b++) ws.active[b] = t < ws.lengths[b];
        float[] v = p.values();
        Step s = ws.step;
        s.batch = B;
        s.hidden = H;
        s.active = ws.active;
        s.ghh = ws.ghh;
        for (int layer = 0; layer < L; layer++) {
            int inSize = config.layerInputSize(layer);
            float[] in;
            int inOff;
            if (layer == 0) {
                in = ws.xs;
                inOff = t * B * I;
            } else if (ws.dropout) {
                in = ws.dropped[layer - 1];
                inOff = t * B * H;
            } else {
                in = ws.hs[layer - 1];
                inOff = (t + 1) * B * H;
            }
            float[] gx = ws.gx[layer];
            int gxOff = t * B * GH;
            if (config.bias()) Gemm.broadcastRows(B, GH, v, bIh[layer].offset(), gx, gxOff, GH, false);
            PanelGemm.nn(B, GH, inSize, in, inOff, inSize, ws.wIhT[layer], 0, GH, gx, gxOff, GH, config.bias());
            if (config.bias()) Gemm.broadcastRows(B, GH, v, bHh[layer].offset(), ws.ghh, 0, GH, false);
            PanelGemm.nn(B, GH, H, ws.hs[layer], t * B * H, H, ws.wHhT[layer], 0, GH, ws.ghh, 0, GH, config.bias());
            s.gx = gx;
            s.gxOff = gxOff;
            s.hs = ws.hs[layer];
            s.cs = ws.cs == null ? null : ws.cs[layer];
            s.aux = ws.aux == null ? null : ws.aux[layer];
            s.auxOff = t * B * H;
            s.hPrev = t * B * H;
            s.hCur = (t + 1) * B * H;
            cell.forward(s);
            carryInactive(ws, ws.hs[layer], s.hPrev, s.hCur, B, H);
            if (s.cs != null) carryInactive(ws, s.cs, s.hPrev, s.hCur, B, H);
            if (ws.dropout && layer < L - 1) {
                float keep = (float) (1 - config.dropout()), scale = 1f / keep;
                float[] mask = ws.dropMask[layer], out = ws.dropped[layer], h = ws.hs[layer];
                int o = t * B * H, src = (t + 1) * B * H;
                ws.rng.dropoutMask(mask, o, B * H, keep, scale);
                for (int i = 0; i < B * H; i++) out[o + i] = h[src + i] * mask[o + i];
            }
        }
        ws.stepsDone = t + 1;
    }

    /** The array holding the top layer's outputs; step t's [B, H] starts at {@link #outputOffset}. */
    public float[] output(Workspace ws) {
        return ws.hs[config.numLayers() - 1];
    }

    /** Offset of step t's top-layer output [B, H] in {@link #output}. */
    public int outputOffset(Workspace ws, int t) {
        return (t + 1) * ws.batch * config.hiddenSize();
    }

    /**
     * For step-by-step inference in a workspace of time capacity 1: makes the state after step 0 the
     * state before the next step 0, row r taking row {@code from[r]} (beam search reorders
     * hypotheses this way), or row r itself when {@code from} is null.
     */
    public void advance(Workspace ws, int[] from) {
        check(ws);
        if (ws.stepsDone != 1) throw new IllegalStateException("advance needs exactly one step run since start, got " + ws.stepsDone);
        int B = ws.batch, H = config.hiddenSize();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            gather(ws.hs[layer], B * H, ws.hs[layer], 0, from, B, H);
            if (ws.cs != null) gather(ws.cs[layer], B * H, ws.cs[layer], 0, from, B, H);
        }
        ws.stepsDone = 0;
    }

    private static void gather(float[] src, int srcOff, float[] dst, int dstOff, int[] from, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int f = from == null ? r : from[r];
            if (f < 0 || f >= rows) throw new IllegalArgumentException("from[" + r + "] must be in [0, " + rows + "), got " + f);
            System.arraycopy(src, srcOff + f * h, dst, dstOff + r * h, h);
        }
    }

    /**
     * Begins backward through the pass that just ran all its {@code time} steps.
     *
     * @param dhn [L, B, H] gradient of the final states, or null
     * @param dcn [L, B, H] or null (LSTM)
     */
    public void startBackward(Workspace ws, float[] dhn, float[] dcn) {
        check(ws);
        if (!ws.started || ws.stepsDone != ws.time) {
            throw new IllegalStateException("backward needs a forward of all " + ws.time + " steps; ran " + ws.stepsDone);
        }
        int B = ws.batch, H = config.hiddenSize();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            copyOrZero(dhn, layer * B * H, ws.dh[layer], 0, B * H);
            copyOrZero(dcn, layer * B * H, ws.dc[layer], 0, B * H);
        }
        ws.backwardNext = ws.time - 1;
    }

    /**
     * Backward through step t (t = T-1 down to 0, in order).
     *
     * @param dTop [B, H] from {@code dTopOff}: gradient of the top layer's output at step t (may be
     *             null for none)
     * @param dx   [B, I] from {@code dxOff}, overwritten with dL/dx_t (complete only once every later
     *             step has been processed, which the order guarantees)
     */
    public void backwardStep(Parameters p, Workspace ws, int t, float[] dTop, int dTopOff, float[] dx, int dxOff) {
        check(ws);
        if (t != ws.backwardNext) throw new IllegalStateException("backward steps must run from T-1 down: expected " + ws.backwardNext + ", got " + t);
        int B = ws.batch, H = config.hiddenSize(), GH = config.cell().gates() * H, L = config.numLayers();
        float[] v = p.values();
        for (int b = 0; b < B; b++) ws.active[b] = t < ws.lengths[b];
        Step s = ws.step;
        s.batch = B;
        s.hidden = H;
        s.active = ws.active;
        for (int layer = L - 1; layer >= 0; layer--) {
            if (layer == L - 1) {
                if (dTop == null) {
                    Arrays.fill(ws.dBetween, 0, B * H, 0f);
                    s.dOut = ws.dBetween;
                    s.dOutOff = 0;
                } else {
                    s.dOut = dTop;
                    s.dOutOff = dTopOff;
                }
            } else {
                s.dOut = ws.dBetween;
                s.dOutOff = 0;
            }
            s.dOutStride = H;
            s.gx = ws.gx[layer];
            s.gxOff = t * B * GH;
            s.hs = ws.hs[layer];
            s.cs = ws.cs == null ? null : ws.cs[layer];
            s.aux = ws.aux == null ? null : ws.aux[layer];
            s.auxOff = t * B * H;
            s.hPrev = t * B * H;
            s.hCur = (t + 1) * B * H;
            s.dh = ws.dh[layer];
            s.dc = ws.dc[layer];
            s.dG = ws.dG[layer];
            s.dGh = ws.dGh[layer];
            s.dGOff = t * B * GH;
            cell.backward(s);
            for (int b = 0; b < B; b++) {
                if (ws.active[b]) continue;
                Arrays.fill(s.dG, s.dGOff + b * GH, s.dGOff + (b + 1) * GH, 0f);
                if (s.dGh != s.dG) Arrays.fill(s.dGh, s.dGOff + b * GH, s.dGOff + (b + 1) * GH, 0f);
            }
            // dh_prev = (direct part written by the cell) + dGh · W_hh
            PanelGemm.nn(B, H, GH, s.dGh, s.dGOff, GH, v, wHh[layer].offset(), H, ws.dh[layer], 0, H, true);
            int inSize = config.layerInputSize(layer);
            if (layer > 0) {
                // the cell above has consumed dBetween; now it receives this layer's input gradient
                PanelGemm.nn(B, inSize, GH, s.dG, s.dGOff, GH, v, wIh[layer].offset(), inSize, ws.dBetween, 0, inSize, false);
                if (ws.dropout) {
                    float[] mask = ws.dropMask[layer - 1];
                    int o = t * B * H;
                    for (int i = 0; i < B * H; i++) ws.dBetween[i] *= mask[o + i];
                }
            } else {
                if (dxOff < 0 || dxOff + B * inSize > dx.length) throw new ShapeException("dx: expected " + B * inSize + " values from offset " + dxOff + ", got an array of " + dx.length);
                PanelGemm.nn(B, inSize, GH, s.dG, s.dGOff, GH, v, wIh[layer].offset(), inSize, dx, dxOff, inSize, false);
            }
        }
        ws.backwardNext = t - 1;
    }

    /** Adds the weight gradients of every step into {@code p.grads()} and fills dh0/dc0. */
    public void finishBackward(Parameters p, Workspace ws) {
        check(ws);
        if (ws.backwardNext != -1) throw new IllegalStateException("finishBackward before step 0 was processed (next is " + ws.backwardNext + ")");
        int B = ws.batch, T = ws.time, H = config.hiddenSize(), GH = config.cell().gates() * H, L = config.numLayers();
        float[] g = p.grads();
        for (int layer = 0; layer < L; layer++) {
            int inSize = config.layerInputSize(layer);
            float[] in;
            int inOff;
            if (layer == 0) {
                in = ws.xs;
                inOff = 0;
            } else if (ws.dropout) {
                in = ws.dropped[layer - 1];
                inOff = 0;
            } else {
                in = ws.hs[layer - 1];
                inOff = B * H;
            }
            PanelGemm.tn(GH, inSize, T * B, ws.dG[layer], 0, GH, in, inOff, inSize, g, wIh[layer].offset(), inSize, true);
            PanelGemm.tn(GH, H, T * B, ws.dGh[layer], 0, GH, ws.hs[layer], 0, H, g, wHh[layer].offset(), H, true);
            if (config.bias()) {
                Gemm.addColumnSums(T * B, GH, ws.dG[layer], 0, GH, g, bIh[layer].offset());
                Gemm.addColumnSums(T * B, GH, ws.dGh[layer], 0, GH, g, bHh[layer].offset());
            }
            System.arraycopy(ws.dh[layer], 0, ws.dh0, layer * B * H, B * H);
            System.arraycopy(ws.dc[layer], 0, ws.dc0, layer * B * H, B * H);
        }
        ws.backwardNext = -2;
    }

    private void check(Workspace ws) {
        if (ws.config != config) throw new IllegalArgumentException("workspace was made for another layer");
    }

    private static void carryInactive(Workspace ws, float[] states, int prev, int cur, int batch, int h) {
        for (int b = 0; b < batch; b++) {
            if (!ws.active[b]) System.arraycopy(states, prev + b * h, states, cur + b * h, h);
        }
    }

    private static void copyOrZero(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (src == null) Arrays.fill(dst, dstOff, dstOff + n, 0f);
        else System.arraycopy(src, srcOff, dst, dstOff, n);
    }
}
