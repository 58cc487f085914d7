package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.nn.Parameters.Param;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.ShapeException;

/**
 * Global attention over a padded memory (the encoder's outputs), one query (decoder step) at a time.
 *
 * <p>Dimensions: B batch, S memory length, E memory features, Q query features, A additive hidden
 * size, K key features (Q for general, E for dot, A for additive), T decoder steps.
 *
 * <pre>
 *   dot      (Luong):    score(q, m_s) = q · m_s                         (needs Q = E)
 *   general  (Luong):    score(q, m_s) = q · (W m_s)         W = {prefix}weight [Q, E]
 *   additive (Bahdanau): score(q, m_s) = v · tanh(W_q q + W_k m_s + b_k)
 *                        W_q = {prefix}query.weight [A, Q], W_k = {prefix}key.weight [A, E],
 *                        b_k = {prefix}key.bias [A], v = {prefix}v.weight [1, A]
 *   α_s = softmax over s < length[b] (positions s ≥ length get weight exactly 0)
 *   context = Σ_s α_s m_s                                                  [B, E]
 * </pre>
 *
 * The memory-side part of every score ("keys": W m_s, m_s or W_k m_s + b_k) does not depend on the
 * query, so {@link #prepare} computes it for all (b, s) with one GEMM per sequence batch; a step then
 * costs B·S·K multiply-adds (dot, general) or B·S·A tanh (additive) plus the context sum. Padded memory
 * positions get no weight and therefore no gradient. The names match {@code nn.Linear} modules
 * {@code weight} (no bias), {@code query} (no bias), {@code key}, {@code v} (no bias) under the prefix.
 */
public final class Attention {

    /** The score functions. */
    public enum Score {
        DOT("dot"), GENERAL("general"), ADDITIVE("additive");

        private final String cliName;

        Score(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        public static Score parse(String name) {
            for (Score s : values()) if (s.cliName.equals(name)) return s;
            if ("bahdanau".equals(name) || "concat".equals(name) || "mlp".equals(name)) return ADDITIVE;
            throw new IllegalArgumentException("unknown attention '" + name + "'; expected dot, general or additive");
        }
    }

    private final Score score;
    private final int querySize;
    private final int memorySize;
    private final int hiddenSize;
    private final Param weight;   // general
    private final Param wq;       // additive
    private final Param wk;
    private final Param bk;
    private final Param v;

    /**
     * @param hiddenSize A, used by additive attention only (ignored otherwise)
     */
    public Attention(Score score, int querySize, int memorySize, int hiddenSize, Parameters.Builder builder, String prefix) {
        if (score == null) throw new IllegalArgumentException("score must be given");
        if (querySize <= 0) throw new IllegalArgumentException("querySize must be > 0, got " + querySize);
        if (memorySize <= 0) throw new IllegalArgumentException("memorySize must be > 0, got " + memorySize);
        if (score == Score.DOT && querySize != memorySize) {
            throw new IllegalArgumentException("dot attention needs querySize == memorySize, got " + querySize + " and " + memorySize);
        }
        if (score == Score.ADDITIVE && hiddenSize <= 0) throw new IllegalArgumentException("hiddenSize must be > 0 for additive attention, got " + hiddenSize);
        this.score = score;
        this.querySize = querySize;
        this.memorySize = memorySize;
        this.hiddenSize = score == Score.ADDITIVE ? hiddenSize : 0;
        this.weight = score == Score.GENERAL ? builder.add(prefix + "weight", querySize, memorySize) : null;
        if (score == Score.ADDITIVE) {
            wq = builder.add(prefix + "query.weight", hiddenSize, querySize);
            wk = builder.add(prefix + "key.weight", hiddenSize, memorySize);
            bk = builder.add(prefix + "key.bias", hiddenSize);
            v = builder.add(prefix + "v.weight", 1, hiddenSize);
        } else {
            wq = wk = bk = v = null;
        }
    }

    public Score score() {
        return score;
    }

    /** K, the features per memory position that a query is compared with. */
    public int keySize() {
        return switch (score) {
            case DOT -> memorySize;
            case GENERAL -> querySize;
            case ADDITIVE -> hiddenSize;
        };
    }

    /** Every parameter U(-bound, bound). */
    public void initializeUniform(Parameters p, float bound, Rng rng) {
        for (Param q : new Param[] {weight, wq, wk, bk, v}) {
            if (q != null) Initializers.uniform(p.values(), q.offset(), q.size(), bound, rng);
        }
    }

    public Workspace workspace(int batchCapacity, int memoryCapacity, int timeCapacity) {
        return new Workspace(this, batchCapacity, memoryCapacity, timeCapacity);
    }

    /** Buffers for up to (B, S, T); each pass lays them out densely for its own B and S. */
    public static final class Workspace {
        final Attention owner;
        final int batchCap;
        final int memCap;
        final int timeCap;
        int batch;
        int len;                 // S of the current pass
        float[] memory;          // [B, S, E] the caller's array, read-only
        int memoryOff;
        final int[] lengths;     // [B]
        final float[] keys;      // [B*S*K]
        final float[] alpha;     // [T*B*S]
        final float[] u;         // [T*B*S*A] additive tanh activations
        final float[] qproj;     // [B*A]
        final float[] wT;        // [E*K] transposed key weight (general, additive)
        final float[] wqT;       // [Q*A] transposed W_q (additive)
        final float[] dkeys;     // [B*S*K]
        final float[] dmem;      // [B*S*E]
        final float[] dscore;    // [B*S]
        final float[] dqproj;    // [B*A]
        final float[] dv;        // [A] scratch

        Workspace(Attention a, int batchCap, int memCap, int timeCap) {
            if (batchCap <= 0 || memCap <= 0 || timeCap <= 0) {
                throw new IllegalArgumentException("capacities must be > 0, got batch " + batchCap + ", memory " + memCap + ", time " + timeCap);
            }
            this.owner = a;
            this.batchCap = batchCap;
            this.memCap = memCap;
            this.timeCap = timeCap;
            int bs = Math.multiplyExact(batchCap, memCap);
            int k = a.keySize(), e = a.memorySize, aa = a.hiddenSize;
            lengths = new int[batchCap];
            keys = a.score == Score.DOT ? new float[0] : new float[Math.multiplyExact(bs, k)];
            alpha = new float[Math.multiplyExact(timeCap, bs)];
            u = new float[Math.multiplyExact(Math.multiplyExact(timeCap, bs), aa)];
            qproj = new float[batchCap * aa];
            wT = new float[a.score == Score.DOT ? 0 : k * e];
            wqT = new float[aa * a.querySize];
            dkeys = new float[bs * k];
            dmem = new float[bs * e];
            dscore = new float[bs];
            dqproj = new float[batchCap * aa];
            dv = new float[aa];
        }

        /** Attention weights of step t: [B, S] from offset {@link #alphaOffset}; 0 at padded positions. */
        public float[] alpha() {
            return alpha;
        }

        public int alphaOffset(int t) {
            return t * batch * len;
        }

        /** dL/dmemory [B, S, E] after {@link #finishBackward}. */
        public float[] dMemory() {
            return dmem;
        }

        public int batch() {
            return batch;
        }

        public int memoryLength() {
            return len;
        }

        public int batchCapacity() {
            return batchCap;
        }

        public int memoryCapacity() {
            return memCap;
        }

        public int timeCapacity() {
            return timeCap;
        }
    }

    /**
     * Sets the memory for a pass and computes its keys; clears the memory-side gradient accumulators.
     *
     * @param memory  [B, S, E] from {@code memoryOff}; kept by reference until the pass ends
     * @param lengths [B] valid positions per row, each in [1, S]
     */
    public void prepare(Parameters p, Workspace ws, float[] memory, int memoryOff, int batch, int len, int[] lengths) {
        if (ws.owner != this) throw new IllegalArgumentException("workspace was made for another attention layer");
        if (batch <= 0 || batch > ws.batchCap) throw new IllegalArgumentException("batch must be in [1, " + ws.batchCap + "], got " + batch);
        if (len <= 0 || len > ws.memCap) throw new IllegalArgumentException("memory length must be in [1, " + ws.memCap + "], got " + len);
        int E = memorySize, K = keySize(), BS = batch * len;
        if (memoryOff < 0 || memoryOff + BS * E > memory.length) {
            throw new ShapeException("memory: expected " + BS * E + " values (B*S*E) from offset " + memoryOff + ", got an array of " + memory.length);
        }
        if (lengths.length < batch) throw new ShapeException("lengths: expected " + batch + " values, got " + lengths.length);
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > len) {
                throw new IllegalArgumentException("lengths[" + b + "] must be in [1, " + len + "], got " + lengths[b]);
            }
        }
        System.arraycopy(lengths, 0, ws.lengths, 0, batch);
        ws.batch = batch;
        ws.len = len;
        ws.memory = memory;
        ws.memoryOff = memoryOff;
        float[] pv = p.values();
        switch (score) {
            case DOT -> { }
            case GENERAL -> {
                // keys[BS, Q] = memory[BS, E] · Wᵀ, W [Q, E]
                Gemm.transpose(querySize, E, pv, weight.offset(), E, ws.wT, 0);
                PanelGemm.nn(BS, K, E, memory, memoryOff, E, ws.wT, 0, K, ws.keys, 0, K, false);
            }
            case ADDITIVE -> {
                Gemm.transpose(hiddenSize, E, pv, wk.offset(), E, ws.wT, 0);
                Gemm.broadcastRows(BS, K, pv, bk.offset(), ws.keys, 0, K, false);
                PanelGemm.nn(BS, K, E, memory, memoryOff, E, ws.wT, 0, K, ws.keys, 0, K, true);
                Gemm.transpose(hiddenSize, querySize, pv, wq.offset(), querySize, ws.wqT, 0);
            }
        }
        Arrays.fill(ws.dkeys, 0, BS * K, 0f);
        Arrays.fill(ws.dmem, 0, BS * E, 0f);
    }

    /**
     * Step t: weights and context for queries q.
     *
     * @param q       [B, Q] from qOff
     * @param context [B, E] written at ctxOff + b*ctxStride
     */
    public void forwardStep(Parameters p, Workspace ws, int t, float[] q, int qOff, float[] context, int ctxOff, int ctxStride) {
        if (t < 0 || t >= ws.timeCap) throw new IllegalArgumentException("step " + t + " outside the workspace's time capacity " + ws.timeCap);
        int B = ws.batch, S = ws.len, E = memorySize, K = keySize(), A = hiddenSize;
        float[] pv = p.values();
        float[] mem = ws.memory;
        int aOff = t * B * S;
        if (score == Score.ADDITIVE) {
            // qproj[B, A] = q[B, Q] · W_qᵀ
            PanelGemm.nn(B, A, querySize, q, qOff, querySize, ws.wqT, 0, A, ws.qproj, 0, A, false);
        }
        for (int b = 0; b < B; b++) {
            int n = ws.lengths[b];
            int qb = qOff + b * querySize;
            int row = aOff + b * S;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < n; s++) {
                float sc;
                if (score == Score.ADDITIVE) {
                    int kb = (b * S + s) * A, ub = ((t * B + b) * S + s) * A;
                    float acc = 0f;
                    for (int a = 0; a < A; a++) {
                        float x = Cell.tanh(ws.keys[kb + a] + ws.qproj[b * A + a]);
                        ws.u[ub + a] = x;
                        acc += pv[v.offset() + a] * x;
                    }
                    sc = acc;
                } else {
                    float[] keys = score == Score.DOT ? mem : ws.keys;
                    int kb = score == Score.DOT ? ws.memoryOff + (b * S + s) * E : (b * S + s) * K;
                    float acc = 0f;
                    for (int j = 0; j < K; j++) acc += q[qb + j] * keys[kb + j];
                    sc = acc;
                }
                ws.alpha[row + s] = sc;
                if (sc > max) max = sc;
            }
            double sum = 0;
            for (int s = 0; s < n; s++) {
                float e = (float) Math.exp(ws.alpha[row + s] - max);
                ws.alpha[row + s] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int s = 0; s < n; s++) ws.alpha[row + s] *= inv;
            Arrays.fill(ws.alpha, row + n, row + S, 0f);
            int c = ctxOff + b * ctxStride;
            Arrays.fill(context, c, c + E, 0f);
            for (int s = 0; s < n; s++) {
                float w = ws.alpha[row + s];
                int m = ws.memoryOff + (b * S + s) * E;
                for (int j = 0; j < E; j++) context[c + j] += w * mem[m + j];
            }
        }
    }

    /**
     * Backward through step t (any order): accumulates memory-side gradients in the workspace, adds
     * dL/dq into {@code dq}, and (additive) adds dW_q and dv into {@code p.grads()}.
     *
     * @param q    [B, Q] the query of step t, from qOff
     * @param dCtx [B, E] at dCtxOff + b*dCtxStride
     * @param dq   [B, Q] from dqOff, accumulated
     */
    public void backwardStep(Parameters p, Workspace ws, int t, float[] q, int qOff, float[] dCtx, int dCtxOff, int dCtxStride,
                             float[] dq, int dqOff) {
        int B = ws.batch, S = ws.len, E = memorySize, K = keySize(), A = hiddenSize;
        float[] pv = p.values(), g = p.grads(), mem = ws.memory;
        int aOff = t * B * S;
        if (score == Score.ADDITIVE) {
            Arrays.fill(ws.dqproj, 0, B * A, 0f);
            Arrays.fill(ws.dv, 0f);
        }
        for (int b = 0; b < B; b++) {
            int n = ws.lengths[b];
            int row = aOff + b * S;
            int c = dCtxOff + b * dCtxStride;
            // dα_s = dctx · m_s ; dm_s += α_s dctx ; dscore = α ⊙ (dα − Σ α dα)
            double dot = 0;
            for (int s = 0; s < n; s++) {
                int m = ws.memoryOff + (b * S + s) * E;
                int dm = (b * S + s) * E;
                float w = ws.alpha[row + s];
                float da = 0f;
                for (int j = 0; j < E; j++) {
                    da += dCtx[c + j] * mem[m + j];
                    ws.dmem[dm + j] += w * dCtx[c + j];
                }
                ws.dscore[b * S + s] = da;
                dot += (double) w * da;
            }
            for (int s = 0; s < n; s++) {
                ws.dscore[b * S + s] = ws.alpha[row + s] * (ws.dscore[b * S + s] - (float) dot);
            }
            int qb = qOff + b * querySize, dqb = dqOff + b * querySize;
            for (int s = 0; s < n; s++) {
                float ds = ws.dscore[b * S + s];
                if (score == Score.ADDITIVE) {
                    int kb = (b * S + s) * A, ub = ((t * B + b) * S + s) * A;
                    for (int a = 0; a < A; a++) {
                        float x = ws.u[ub + a];
                        ws.dv[a] += ds * x;
                        float dpre = ds * pv[v.offset() + a] * (1 - x * x);
                        ws.dkeys[kb + a] += dpre;
                        ws.dqproj[b * A + a] += dpre;
                    }
                } else {
                    float[] keys = score == Score.DOT ? mem : ws.keys;
                    int kb = score == Score.DOT ? ws.memoryOff + (b * S + s) * E : (b * S + s) * K;
                    int dk = (b * S + s) * K;
                    for (int j = 0; j < K; j++) {
                        dq[dqb + j] += ds * keys[kb + j];
                        ws.dkeys[dk + j] += ds * q[qb + j];
                    }
                }
            }
        }
        if (score == Score.ADDITIVE) {
            for (int a = 0; a < A; a++) g[v.offset() + a] += ws.dv[a];
            // dq += dqproj[B, A] · W_q [A, Q]; dW_q [A, Q] += dqprojᵀ · q
            PanelGemm.nn(B, querySize, A, ws.dqproj, 0, A, pv, wq.offset(), querySize, dq, dqOff, querySize, true);
            PanelGemm.tn(A, querySize, B, ws.dqproj, 0, A, q, qOff, querySize, g, wq.offset(), querySize, true);
        }
    }

    /** After every step's backward: adds the key-side weight gradients and finishes dL/dmemory. */
    public void finishBackward(Parameters p, Workspace ws) {
        int BS = ws.batch * ws.len, E = memorySize, K = keySize();
        float[] pv = p.values(), g = p.grads();
        switch (score) {
            case DOT -> {
                for (int i = 0; i < BS * E; i++) ws.dmem[i] += ws.dkeys[i];
            }
            case GENERAL -> {
                // keys = mem · Wᵀ  →  dW [Q, E] += dkeysᵀ · mem ; dmem += dkeys · W
                PanelGemm.tn(K, E, BS, ws.dkeys, 0, K, ws.memory, ws.memoryOff, E, g, weight.offset(), E, true);
                PanelGemm.nn(BS, E, K, ws.dkeys, 0, K, pv, weight.offset(), E, ws.dmem, 0, E, true);
            }
            case ADDITIVE -> {
                PanelGemm.tn(K, E, BS, ws.dkeys, 0, K, ws.memory, ws.memoryOff, E, g, wk.offset(), E, true);
                Gemm.addColumnSums(BS, K, ws.dkeys, 0, K, g, bk.offset());
                PanelGemm.nn(BS, E, K, ws.dkeys, 0, K, pv, wk.offset(), E, ws.dmem, 0, E, true);
            }
        }
    }

    public int querySize() {
        return querySize;
    }

    public int memorySize() {
        return memorySize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }
}
