package org.rnn4j.nn;

import org.rnn4j.tensor.Rng;

/**
 * The buffers of forward and backward passes of a {@link SequenceModel} for one (B, T), allocated
 * once. Public arrays are batch-first ([B, T, F], as PyTorch with batch_first=True); inside, the
 * recurrent stack runs time-major. Not thread-safe: use one pass per thread.
 */
public final class ModelPass {
    private final SequenceModel model;
    private final int batch;
    private final int time;
    private final RecurrentWorkspace ws;
    private final float[] xTimeMajor;   // [T*B*I]
    private final int[] tokensTimeMajor; // [T*B] (embedding models)
    private final float[] headOut;      // [T*B*O] time-major
    private final float[] output;       // [B*T*O] batch-first
    private final float[] dOutTimeMajor; // [T*B*O]
    private final float[] dRnnOut;      // [T*B*DH]
    private final float[] dInput;       // [B*T*I] batch-first
    private final float[] headScratch;
    private boolean tokenInput;
    private boolean inputGradient = true;

    ModelPass(SequenceModel model, int batch, int time) {
        this.model = model;
        this.batch = batch;
        this.time = time;
        ModelConfig c = model.config();
        this.ws = model.recurrent().workspace(batch, time);
        int tb = batch * time, in = c.rnn().inputSize(), dh = c.rnn().outputSize(), o = c.outputSize();
        this.xTimeMajor = new float[tb * in];
        this.tokensTimeMajor = c.hasEmbedding() ? new int[tb] : null;
        this.headOut = c.hasHead() ? new float[tb * o] : null;
        this.output = new float[tb * o];
        this.dOutTimeMajor = new float[tb * o];
        this.dRnnOut = c.hasHead() ? new float[tb * dh] : null;
        this.dInput = new float[tb * in];
        this.headScratch = c.hasHead() ? model.head().newScratch() : null;
    }

    public int batch() {
        return batch;
    }

    public int time() {
        return time;
    }

    /**
     * Forward over feature inputs.
     *
     * @param x       [B, T, I] batch-first
     * @param lengths [B] or null
     * @param h0      [L*D, B, H] or null
     * @param c0      [L*D, B, H] or null
     * @return the output [B, T, O], a buffer of this pass (overwritten by the next call)
     */
    public float[] forward(float[] x, int[] lengths, float[] h0, float[] c0, boolean training, Rng rng) {
        int in = model.config().rnn().inputSize();
        if (x.length != batch * time * in) {
            throw new org.rnn4j.tensor.ShapeException("input: expected " + batch + "×" + time + "×" + in
                    + " = (B, T, I) values, got " + x.length);
        }
        toTimeMajor(x, xTimeMajor, in);
        tokenInput = false;
        return runFrom(lengths, h0, c0, training, rng);
    }

    /** Forward over token ids [B, T] batch-first (embedding models). */
    public float[] forwardTokens(int[] tokens, int[] lengths, float[] h0, float[] c0, boolean training, Rng rng) {
        Embedding e = model.embedding();
        if (e == null) throw new IllegalStateException("this model has no embedding; use forward with feature vectors");
        if (tokens.length != batch * time) {
            throw new org.rnn4j.tensor.ShapeException("tokens: expected " + batch + "×" + time + " = (B, T) ids, got " + tokens.length);
        }
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) tokensTimeMajor[t * batch + b] = tokens[b * time + t];
        }
        e.forward(model.parameters(), tokensTimeMajor, batch * time, xTimeMajor);
        tokenInput = true;
        return runFrom(lengths, h0, c0, training, rng);
    }

    private float[] runFrom(int[] lengths, float[] h0, float[] c0, boolean training, Rng rng) {
        Parameters p = model.parameters();
        model.recurrent().forward(p, ws, xTimeMajor, lengths, h0, c0, training, rng);
        int o = model.outputSize();
        if (model.head() != null) {
            model.head().forward(p, ws.output(), batch * time, headOut, headScratch);
            toBatchFirst(headOut, output, o);
        } else {
            toBatchFirst(ws.output(), output, o);
        }
        return output;
    }

    /**
     * Backward through the last forward; adds every parameter gradient into the model's grads.
     *
     * @param dOutput [B, T, O] batch-first gradient of the output
     * @param dhn     [L*D, B, H] or null
     * @param dcn     [L*D, B, H] or null
     */
    public void backward(float[] dOutput, float[] dhn, float[] dcn) {
        backward(dOutput, dhn, dcn, null);
    }

    public void backward(float[] dOutput, float[] dhn, float[] dcn, Recurrent.StateGradientHook hook) {
        int o = model.outputSize();
        if (dOutput.length != batch * time * o) {
            throw new org.rnn4j.tensor.ShapeException("dOutput: expected " + batch + "×" + time + "×" + o + " values, got " + dOutput.length);
        }
        Parameters p = model.parameters();
        toTimeMajor(dOutput, dOutTimeMajor, o);
        float[] dRnn = dOutTimeMajor;
        if (model.head() != null) {
            model.head().backward(p, ws.output(), dOutTimeMajor, batch * time, dRnnOut);
            dRnn = dRnnOut;
        }
        ws.setInputGradient(inputGradient || tokenInput);
        model.recurrent().backward(p, ws, dRnn, dhn, dcn, hook);
        if (tokenInput) {
            model.embedding().backward(p, tokensTimeMajor, batch * time, ws.dInput());
        }
    }

    /** Final hidden states [L*D, B, H] of the last forward (a buffer of this pass). */
    public float[] hn() {
        return ws.hn();
    }

    /** Final cell states [L*D, B, H] of the last forward (LSTM). */
    public float[] cn() {
        return ws.cn();
    }

    /**
     * Whether backward computes the gradient w.r.t. the feature input (default true; {@link #dInput()}
     * needs it). Training that never reads it turns it off and skips one GEMM per layer-0 direction.
     * Embedding models always compute it: the embedding's gradient is made from it.
     */
    public ModelPass inputGradient(boolean on) {
        inputGradient = on;
        return this;
    }

    /** Gradient w.r.t. the feature input, [B, T, I] batch-first, after backward. */
    public float[] dInput() {
        toBatchFirst(ws.dInput(), dInput, model.config().rnn().inputSize());
        return dInput;
    }

    public float[] dh0() {
        return ws.dh0();
    }

    public float[] dc0() {
        return ws.dc0();
    }

    private void toTimeMajor(float[] src, float[] dst, int f) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) System.arraycopy(src, (b * time + t) * f, dst, (t * batch + b) * f, f);
        }
    }

    private void toBatchFirst(float[] src, float[] dst, int f) {
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) System.arraycopy(src, (t * batch + b) * f, dst, (b * time + t) * f, f);
        }
    }
}
