package org.rnn4j.apps.seq2seq;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.PanelGemm;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentWorkspace;
import org.rnn4j.nn.StepwiseRecurrent;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.CrossEntropyLoss;

/**
 * The buffers of a {@link Seq2SeqModel}'s passes: teacher-forced forward/backward for training and
 * validation, and step-by-step decoding for inference. Not thread-safe; one per thread.
 *
 * <p>Dimensions: B batch, S source length, T target steps, E_m embedding, H hidden (He = H/2 per
 * encoder direction), L layers, V target vocabulary. Decoder-side arrays are time-major ([T, B, ...],
 * so step t is one contiguous [B, ...] block); the attention memory is batch-major [B, S, H].
 *
 * <p>Allocation: buffers grow to the largest (B, S, T) seen and are then reused, so a training run
 * allocates during its first batches only; the encoder's {@link RecurrentWorkspace} needs an exact
 * (B, S) and is cached per shape (the batcher makes all batches but one full, so there is about one
 * per source length). Nothing is allocated inside any time loop.
 */
public final class Seq2SeqPass {
    private static final CrossEntropyLoss LOSS = new CrossEntropyLoss();

    private final Seq2SeqModel m;
    private final Parameters p;
    private final int e;
    private final int h;
    private final int layers;
    private final int vocab;
    private final Map<Long, Encoder> encoders = new HashMap<>();

    /** Encoder buffers for one exact (B, S): {@link org.rnn4j.nn.Recurrent} checks exact lengths. */
    private static final class Encoder {
        final RecurrentWorkspace ws;
        final float[] emb;      // [S*B*E_m] time-major
        final float[] dOut;     // [S*B*H]
        final float[] dhn;      // [L*2*B*He]
        final int[] lengths;    // [B]

        Encoder(RecurrentWorkspace ws, int b, int s, int e, int h, int layers) {
            this.ws = ws;
            emb = new float[s * b * e];
            dOut = new float[s * b * h];
            dhn = new float[layers * 2 * b * (h / 2)];
            lengths = new int[b];
        }
    }

    // capacities of the training-pass buffers
    private int bCap;
    private int sCap;
    private int tCap;
    private StepwiseRecurrent.Workspace decWs;
    private Attention.Workspace attWs;
    private int[] srcTokTM;       // [S*B]
    private float[] memory;       // [B*S*H]
    private float[] bridgeIn;     // [B*H]
    private float[] bridgeOut;    // [B*L*H] after tanh
    private float[] h0;           // [L*B*H]
    private float[] dBridge;      // [B*L*H]
    private float[] dBridgeIn;    // [B*H]
    private int[] tgtInTM;        // [T*B]
    private int[] tgtOutTM;       // [T*B]
    private float[] tgtEmbTM;     // [T*B*E_m]
    private float[] dTgtEmbTM;    // [T*B*E_m]
    private float[] xStep;        // [B*(E_m+H)]
    private float[] dxStep;       // [B*(E_m+H)]
    private float[] cat;          // [T*B*2H]  [context ; h_t]
    private float[] htilde;       // [T*B*H]   tanh(W_c cat)
    private float[] htDrop;       // [T*B*H]   after dropout (== htilde when off)
    private float[] dropMask;     // [T*B*H]
    private float[] logits;       // [T*B*V]
    private float[] dLogits;      // [T*B*V]
    private float[] dHt;          // [T*B*H]
    private float[] dPre;         // [T*B*H]
    private float[] dCat;         // [B*2H]
    private float[] dq;           // [B*H]
    private float[] dFeed;        // [B*H]
    private final float[] wcT;    // [2H*H]
    private final float[] wgT;    // [H*V]
    private final float[] wbT;    // [H*L*H]

    private Batch last;
    private boolean lastDropout;
    private Encoder lastEnc;
    private int lastCount;
    private double lastLossSum;

    // inference
    private int infRowsCap;
    private int infSrcCap;
    private StepwiseRecurrent.Workspace infDec;
    private Attention.Workspace infAtt;
    private float[] infMemory;    // [BK*S*H]
    private int[] infSrcLen;      // [BK]
    private float[] infH0;        // [L*BK*H]
    private float[] infFeed;      // [BK*H]
    private float[] infFeedTmp;   // [BK*H]
    private float[] infX;         // [BK*(E_m+H)]
    private float[] infEmb;       // [BK*E_m]
    private float[] infCat;       // [BK*2H]
    private float[] infLogp;      // [BK*V]
    private int infRows;
    private int infSrcLen0;
    private int infBatch;
    private int infBeam;
    private boolean infStepped;

    Seq2SeqPass(Seq2SeqModel model) {
        this.m = model;
        this.p = model.parameters();
        this.e = model.config().embeddingSize();
        this.h = model.config().hiddenSize();
        this.layers = model.config().layers();
        this.vocab = model.targetVocabulary().size();
        wcT = new float[2 * h * h];
        wgT = new float[h * vocab];
        wbT = new float[h * layers * h];
    }

    // ------------------------------------------------------------------ training / validation

    /**
     * Teacher-forced forward; with {@code training} also the loss gradient (call {@link #backward} next).
     *
     * @return the mean cross-entropy per target token (EOS included) of this batch
     */
    public double forward(Batch batch, boolean training, Rng rng) {
        int B = batch.batch(), S = batch.sourceLen(), T = batch.targetLen(), H = h, V = vocab, H2 = 2 * h;
        ensure(B, S, T);
        // ---- encoder
        for (int b = 0; b < B; b++) {
            for (int s = 0; s < S; s++) srcTokTM[s * B + b] = batch.source()[b * S + s];
        }
        Encoder enc = encoder(B, S);
        m.sourceEmbedding.forward(p, srcTokTM, S * B, enc.emb);
        System.arraycopy(batch.sourceLength(), 0, enc.lengths, 0, B);
        m.encoder.forward(p, enc.ws, enc.emb, enc.lengths, null, null, training, rng);
        toBatchMajor(enc.ws.output(), memory, B, S);
        bridge(enc.ws.hn(), B, h0);
        // ---- decoder
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                tgtInTM[t * B + b] = batch.targetIn()[b * T + t];
                tgtOutTM[t * B + b] = batch.targetOut()[b * T + t];
            }
        }
        m.targetEmbedding.forward(p, tgtInTM, T * B, tgtEmbTM);
        boolean dropout = training && m.config().dropout() > 0;
        if (dropout && rng == null) throw new IllegalArgumentException("training with dropout needs a random generator");
        m.decoder.start(p, decWs, B, T, batch.targetSteps(), h0, null, training, rng);
        m.attention.prepare(p, attWs, memory, 0, B, S, batch.sourceLength());
        float[] v = p.values();
        Gemm.transpose(H, H2, v, m.combineWeight.offset(), H2, wcT, 0);
        float[] feedSrc = dropout ? htDrop : htilde;
        int xw = e + H;
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                System.arraycopy(tgtEmbTM, (t * B + b) * e, xStep, b * xw, e);
                if (t == 0) Arrays.fill(xStep, b * xw + e, (b + 1) * xw, 0f);
                else System.arraycopy(feedSrc, ((t - 1) * B + b) * H, xStep, b * xw + e, H);
            }
            m.decoder.step(p, decWs, t, xStep, 0);
            attendAndCombine(decWs, attWs, t, B, cat, t * B * H2, htilde, t * B * H);
            if (dropout) {
                float keep = (float) (1 - m.config().dropout()), scale = 1f / keep;
                rng.dropoutMask(dropMask, t * B * H, B * H, keep, scale);
                for (int i = t * B * H; i < (t + 1) * B * H; i++) htDrop[i] = htilde[i] * dropMask[i];
            }
        }
        // ---- generator over all steps at once
        Gemm.transpose(V, H, v, m.generatorWeight.offset(), H, wgT, 0);
        Gemm.broadcastRows(T * B, V, v, m.generatorBias.offset(), logits, 0, V, false);
        PanelGemm.nn(T * B, V, H, feedSrc, 0, H, wgT, 0, V, logits, 0, V, true);
        lastCount = LOSS.countCounted(tgtOutTM, 0, T * B, V);
        double sum = LOSS.sumLossAndGrad(logits, 0, T * B, V, tgtOutTM, 0, training ? dLogits : null, 0,
                lastCount == 0 ? 0 : 1.0 / lastCount);
        lastLossSum = sum;
        last = batch;
        lastEnc = enc;
        lastDropout = dropout;
        return lastCount == 0 ? 0 : sum / lastCount;
    }

    /** Sum of the token losses of the last forward (for averaging over many batches). */
    public double lastLossSum() {
        return lastLossSum;
    }

    /** Target tokens counted in the last forward. */
    public int lastTokenCount() {
        return lastCount;
    }

    /** Logits of the last forward, [T, B, V] time-major (a buffer of this pass). */
    public float[] logits() {
        return logits;
    }

    /** Attention weights of the last forward at step t, [B, S] from {@link #attentionOffset}. */
    public float[] attention() {
        return attWs.alpha();
    }

    public int attentionOffset(int t) {
        return attWs.alphaOffset(t);
    }

    /** Adds dLoss/dθ of the last (training) forward into the model's gradients. */
    public void backward() {
        if (last == null) throw new IllegalStateException("backward called before forward");
        Batch batch = last;
        int B = batch.batch(), S = batch.sourceLen(), T = batch.targetLen(), H = h, V = vocab, H2 = 2 * h;
        float[] v = p.values(), g = p.grads();
        float[] feedSrc = lastDropout ? htDrop : htilde;
        // ---- generator
        PanelGemm.tn(V, H, T * B, dLogits, 0, V, feedSrc, 0, H, g, m.generatorWeight.offset(), H, true);
        Gemm.addColumnSums(T * B, V, dLogits, 0, V, g, m.generatorBias.offset());
        PanelGemm.nn(T * B, H, V, dLogits, 0, V, v, m.generatorWeight.offset(), H, dHt, 0, H, false);
        // ---- decoder, attention, combine: backwards in time
        m.decoder.startBackward(decWs, null, null);
        Arrays.fill(dFeed, 0, B * H, 0f);
        float[] dec = m.decoder.output(decWs);
        int xw = e + H;
        for (int t = T - 1; t >= 0; t--) {
            int o = t * B * H;
            for (int i = 0; i < B * H; i++) {
                float d = dHt[o + i] + dFeed[i];
                if (lastDropout) d *= dropMask[o + i];
                float y = htilde[o + i];
                dPre[o + i] = d * (1 - y * y);
            }
            // dcat[B, 2H] = dPre_t · W_c
            PanelGemm.nn(B, H2, H, dPre, o, H, v, m.combineWeight.offset(), H2, dCat, 0, H2, false);
            for (int b = 0; b < B; b++) System.arraycopy(dCat, b * H2 + H, dq, b * H, H);
            int hOff = m.decoder.outputOffset(decWs, t);
            m.attention.backwardStep(p, attWs, t, dec, hOff, dCat, 0, H2, dq, 0);
            m.decoder.backwardStep(p, decWs, t, dq, 0, dxStep, 0);
            for (int b = 0; b < B; b++) {
                System.arraycopy(dxStep, b * xw, dTgtEmbTM, (t * B + b) * e, e);
                System.arraycopy(dxStep, b * xw + e, dFeed, b * H, H);
            }
        }
        m.decoder.finishBackward(p, decWs);
        m.attention.finishBackward(p, attWs);
        PanelGemm.tn(H, H2, T * B, dPre, 0, H, cat, 0, H2, g, m.combineWeight.offset(), H2, true);
        m.targetEmbedding.backward(p, tgtInTM, T * B, dTgtEmbTM);
        // ---- bridge: h0 = tanh(W_b x + b_b) laid out [L, B, H]
        int LH = layers * H;
        float[] dh0 = decWs.dh0();
        for (int b = 0; b < B; b++) {
            for (int l = 0; l < layers; l++) {
                for (int j = 0; j < H; j++) {
                    float y = bridgeOut[b * LH + l * H + j];
                    dBridge[b * LH + l * H + j] = dh0[(l * B + b) * H + j] * (1 - y * y);
                }
            }
        }
        PanelGemm.tn(LH, H, B, dBridge, 0, LH, bridgeIn, 0, H, g, m.bridgeWeight.offset(), H, true);
        Gemm.addColumnSums(B, LH, dBridge, 0, LH, g, m.bridgeBias.offset());
        PanelGemm.nn(B, H, LH, dBridge, 0, LH, v, m.bridgeWeight.offset(), H, dBridgeIn, 0, H, false);
        int he = H / 2, top = (layers - 1) * 2;
        Encoder enc = lastEnc;
        Arrays.fill(enc.dhn, 0f);
        for (int b = 0; b < B; b++) {
            System.arraycopy(dBridgeIn, b * H, enc.dhn, (top * B + b) * he, he);
            System.arraycopy(dBridgeIn, b * H + he, enc.dhn, ((top + 1) * B + b) * he, he);
        }
        // ---- encoder
        float[] dmem = attWs.dMemory();
        for (int b = 0; b < B; b++) {
            for (int s = 0; s < S; s++) System.arraycopy(dmem, (b * S + s) * H, enc.dOut, (s * B + b) * H, H);
        }
        m.encoder.backward(p, enc.ws, enc.dOut, enc.dhn, null);
        m.sourceEmbedding.backward(p, srcTokTM, S * B, enc.ws.dInput());
        last = null;
    }

    // ------------------------------------------------------------------ inference

    /**
     * Encodes B sources and prepares {@code beam} decoder rows per source (row b*beam + k). Then call
     * {@link #step} with each row's previous token (BOS first) and {@link #reorder} after every step.
     *
     * @param source [B, S] batch-major ids
     * @param sourceLength [B]
     */
    public void startDecoding(int[] source, int batch, int len, int[] sourceLength, int beam) {
        if (beam < 1) throw new IllegalArgumentException("beam must be >= 1, got " + beam);
        int B = batch, S = len, H = h, BK = B * beam;
        for (int b = 0; b < B; b++) {
            if (sourceLength[b] < 1 || sourceLength[b] > S) {
                throw new IllegalArgumentException("sourceLength[" + b + "] must be in [1, " + S + "], got " + sourceLength[b]);
            }
        }
        ensure(B, S, 1);
        ensureInference(BK, S);
        for (int b = 0; b < B; b++) {
            for (int s = 0; s < S; s++) srcTokTM[s * B + b] = source[b * S + s];
        }
        Encoder enc = encoder(B, S);
        m.sourceEmbedding.forward(p, srcTokTM, S * B, enc.emb);
        System.arraycopy(sourceLength, 0, enc.lengths, 0, B);
        m.encoder.forward(p, enc.ws, enc.emb, enc.lengths, null, null, false, null);
        toBatchMajor(enc.ws.output(), memory, B, S);
        bridge(enc.ws.hn(), B, h0);
        // expand every source to `beam` rows
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < beam; k++) {
                int r = b * beam + k;
                System.arraycopy(memory, b * S * H, infMemory, r * S * H, S * H);
                infSrcLen[r] = sourceLength[b];
                for (int l = 0; l < layers; l++) System.arraycopy(h0, (l * B + b) * H, infH0, (l * BK + r) * H, H);
            }
        }
        m.decoder.start(p, infDec, BK, 1, null, infH0, null, false, null);
        m.attention.prepare(p, infAtt, infMemory, 0, BK, S, infSrcLen);
        float[] v = p.values();
        Gemm.transpose(H, 2 * H, v, m.combineWeight.offset(), 2 * H, wcT, 0);
        Gemm.transpose(vocab, H, v, m.generatorWeight.offset(), H, wgT, 0);
        Arrays.fill(infFeed, 0, BK * H, 0f);
        infRows = BK;
        infBatch = B;
        infBeam = beam;
        infSrcLen0 = S;
        infStepped = false;
    }

    /**
     * One decoding step for all rows.
     *
     * @param previous [B*beam] the token each row emitted last (BOS at the start)
     * @return log-probabilities [B*beam, V] (a buffer of this pass)
     */
    public float[] step(int[] previous) {
        if (infStepped) throw new IllegalStateException("call reorder after each step");
        int R = infRows, H = h, V = vocab, xw = e + H;
        m.targetEmbedding.forward(p, previous, R, infEmb);
        for (int r = 0; r < R; r++) {
            System.arraycopy(infEmb, r * e, infX, r * xw, e);
            System.arraycopy(infFeed, r * H, infX, r * xw + e, H);
        }
        m.decoder.step(p, infDec, 0, infX, 0);
        attendAndCombine(infDec, infAtt, 0, R, infCat, 0, infFeed, 0);
        float[] v = p.values();
        Gemm.broadcastRows(R, V, v, m.generatorBias.offset(), infLogp, 0, V, false);
        PanelGemm.nn(R, V, H, infFeed, 0, H, wgT, 0, V, infLogp, 0, V, true);
        for (int r = 0; r < R; r++) {
            int o = r * V;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < V; j++) max = Math.max(max, infLogp[o + j]);
            double sum = 0;
            for (int j = 0; j < V; j++) sum += Math.exp(infLogp[o + j] - max);
            float lse = (float) (max + Math.log(sum));
            for (int j = 0; j < V; j++) infLogp[o + j] -= lse;
        }
        infStepped = true;
        return infLogp;
    }

    /** Attention weights of the last {@link #step}: [B*beam, S] from offset 0, S = {@link #decodingSourceLength}. */
    public float[] stepAttention() {
        return infAtt.alpha();
    }

    public int decodingSourceLength() {
        return infSrcLen0;
    }

    /** After a step: row r continues from row {@code from[r]} (null = each row from itself). */
    public void reorder(int[] from) {
        if (!infStepped) throw new IllegalStateException("reorder without a step");
        m.decoder.advance(infDec, from);
        int H = h;
        if (from != null) {
            System.arraycopy(infFeed, 0, infFeedTmp, 0, infRows * H);
            for (int r = 0; r < infRows; r++) System.arraycopy(infFeedTmp, from[r] * H, infFeed, r * H, H);
        }
        infStepped = false;
    }

    public int decodingRows() {
        return infRows;
    }

    public int decodingBatch() {
        return infBatch;
    }

    public int decodingBeam() {
        return infBeam;
    }

    // ------------------------------------------------------------------ shared pieces

    /** Attention on the decoder's step-t output, then h̃ = tanh(W_c [context ; h]) into ht at htOff. */
    private void attendAndCombine(StepwiseRecurrent.Workspace dws, Attention.Workspace aws, int t, int rows,
                                  float[] catBuf, int catOff, float[] ht, int htOff) {
        int H = h, H2 = 2 * h;
        float[] dec = m.decoder.output(dws);
        int hOff = m.decoder.outputOffset(dws, t);
        m.attention.forwardStep(p, aws, t, dec, hOff, catBuf, catOff, H2);
        for (int b = 0; b < rows; b++) System.arraycopy(dec, hOff + b * H, catBuf, catOff + b * H2 + H, H);
        PanelGemm.nn(rows, H, H2, catBuf, catOff, H2, wcT, 0, H, ht, htOff, H, false);
        for (int i = htOff; i < htOff + rows * H; i++) ht[i] = (float) Math.tanh(ht[i]);
    }

    /** bridgeIn = [→h ; ←h] of the encoder's top layer; h0 [L, B, H] = tanh(W_b bridgeIn + b_b). */
    private void bridge(float[] hn, int B, float[] out) {
        int H = h, he = h / 2, top = (layers - 1) * 2, LH = layers * H;
        for (int b = 0; b < B; b++) {
            System.arraycopy(hn, (top * B + b) * he, bridgeIn, b * H, he);
            System.arraycopy(hn, ((top + 1) * B + b) * he, bridgeIn, b * H + he, he);
        }
        float[] v = p.values();
        Gemm.transpose(LH, H, v, m.bridgeWeight.offset(), H, wbT, 0);
        Gemm.broadcastRows(B, LH, v, m.bridgeBias.offset(), bridgeOut, 0, LH, false);
        PanelGemm.nn(B, LH, H, bridgeIn, 0, H, wbT, 0, LH, bridgeOut, 0, LH, true);
        for (int i = 0; i < B * LH; i++) bridgeOut[i] = (float) Math.tanh(bridgeOut[i]);
        for (int b = 0; b < B; b++) {
            for (int l = 0; l < layers; l++) System.arraycopy(bridgeOut, b * LH + l * H, out, (l * B + b) * H, H);
        }
    }

    private void toBatchMajor(float[] encTM, float[] mem, int B, int S) {
        for (int s = 0; s < S; s++) {
            for (int b = 0; b < B; b++) System.arraycopy(encTM, (s * B + b) * h, mem, (b * S + s) * h, h);
        }
    }

    private Encoder encoder(int B, int S) {
        return encoders.computeIfAbsent(((long) B << 32) | S, k -> new Encoder(m.encoder.workspace(B, S), B, S, e, h, layers));
    }

    private void ensure(int B, int S, int T) {
        if (B <= bCap && S <= sCap && T <= tCap) return;
        bCap = Math.max(B, bCap);
        sCap = Math.max(S, sCap);
        tCap = Math.max(T, tCap);
        int H = h, H2 = 2 * h, V = vocab, LH = layers * h;
        decWs = m.decoder.workspace(bCap, tCap);
        attWs = m.attention.workspace(bCap, sCap, tCap);
        srcTokTM = new int[sCap * bCap];
        memory = new float[bCap * sCap * H];
        bridgeIn = new float[bCap * H];
        bridgeOut = new float[bCap * LH];
        h0 = new float[bCap * LH];
        dBridge = new float[bCap * LH];
        dBridgeIn = new float[bCap * H];
        tgtInTM = new int[tCap * bCap];
        tgtOutTM = new int[tCap * bCap];
        tgtEmbTM = new float[tCap * bCap * e];
        dTgtEmbTM = new float[tCap * bCap * e];
        xStep = new float[bCap * (e + H)];
        dxStep = new float[bCap * (e + H)];
        cat = new float[tCap * bCap * H2];
        htilde = new float[tCap * bCap * H];
        htDrop = new float[tCap * bCap * H];
        dropMask = new float[tCap * bCap * H];
        logits = new float[tCap * bCap * V];
        dLogits = new float[tCap * bCap * V];
        dHt = new float[tCap * bCap * H];
        dPre = new float[tCap * bCap * H];
        dCat = new float[bCap * H2];
        dq = new float[bCap * H];
        dFeed = new float[bCap * H];
    }

    private void ensureInference(int rows, int S) {
        if (rows <= infRowsCap && S <= infSrcCap) return;
        infRowsCap = Math.max(rows, infRowsCap);
        infSrcCap = Math.max(S, infSrcCap);
        int H = h;
        infDec = m.decoder.workspace(infRowsCap, 1);
        infAtt = m.attention.workspace(infRowsCap, infSrcCap, 1);
        infMemory = new float[infRowsCap * infSrcCap * H];
        infSrcLen = new int[infRowsCap];
        infH0 = new float[layers * infRowsCap * H];
        infFeed = new float[infRowsCap * H];
        infFeedTmp = new float[infRowsCap * H];
        infX = new float[infRowsCap * (e + H)];
        infEmb = new float[infRowsCap * e];
        infCat = new float[infRowsCap * 2 * H];
        infLogp = new float[infRowsCap * vocab];
    }
}
