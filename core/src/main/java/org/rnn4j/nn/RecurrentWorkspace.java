package org.rnn4j.nn;

/**
 * Every buffer a {@link Recurrent} layer needs for one (batch B, length T), allocated once and reused
 * by every forward/backward pass of that size. Layouts are time-major: [T, B, features].
 *
 * <p>Legend: L layers, D directions, H hidden, G gates, GH = G*H, DH = D*H, I input size.
 */
public final class RecurrentWorkspace {
    final int batch;
    final int time;
    final RecurrentConfig config;

    final float[][] layerOut;     // [L][T*B*DH] output of each layer
    final float[][] dropMask;     // [L-1][T*B*DH] inverted-dropout scale (0 or 1/(1-p)) of each layer's output
    final float[][] dropped;      // [L-1][T*B*DH] layer output after dropout (input of the next layer)
    final float[][] gx;           // [L*D][T*B*GH] input projections, then gate activations
    final float[][] hs;           // [L*D][(T+1)*B*H] hidden states, see Recurrent for the indexing
    final float[][] cs;           // [L*D][(T+1)*B*H] LSTM cell states (null otherwise)
    final float[][] aux;          // [L*D][T*B*H] GRU W_hn h + b_hn (null otherwise)
    final float[][] wHhT;         // [L*D][H*GH] W_hh transposed, refreshed each forward
    final float[] ghh;            // [B*GH] recurrent projection of the current step
    final float[] dG;             // [T*B*GH]
    final float[] dGh;            // [T*B*GH] (GRU only; aliases dG otherwise)
    final float[] biasGrad;       // [GH] column sums of dG, shared by both biases when dGh aliases dG (else null)
    final float[] dh;             // [B*H]
    final float[] dc;             // [B*H]
    final float[][] dLayerIn;     // [L][T*B*in_l] gradient w.r.t. each layer's input
    final float[] hn;             // [L*D*B*H]
    final float[] cn;             // [L*D*B*H]
    final float[] dh0;            // [L*D*B*H]
    final float[] dc0;            // [L*D*B*H]
    final boolean[] active;       // [B]
    final int[] lengths;          // [B] lengths of the last forward
    final Step step = new Step();
    boolean droppedOut;           // whether the last forward applied dropout
    boolean hasForward;
    /** Whether backward computes dL/d(input) of layer 0; off when nobody reads it (saves 1/6 of S2's work). */
    boolean inputGradient = true;
    float[] lastInput;            // the x of the last forward (layer 0's input, needed for dW_ih)

    RecurrentWorkspace(RecurrentConfig c, int batch, int time) {
        if (batch <= 0) throw new IllegalArgumentException("batch must be > 0, got " + batch);
        if (time <= 0) throw new IllegalArgumentException("time must be > 0, got " + time);
        this.config = c;
        this.batch = batch;
        this.time = time;
        int l = c.numLayers(), d = c.directions(), h = c.hiddenSize(), gh = c.cell().gates() * h, dhs = c.outputSize();
        int tb = Math.multiplyExact(time, batch);
        layerOut = new float[l][Math.multiplyExact(tb, dhs)];
        dropMask = new float[l - 1][c.dropout() > 0 ? tb * dhs : 0];
        dropped = new float[l - 1][c.dropout() > 0 ? tb * dhs : 0];
        gx = new float[l * d][Math.multiplyExact(tb, gh)];
        hs = new float[l * d][(time + 1) * batch * h];
        boolean lstm = c.cell() == CellKind.LSTM, gru = c.cell() == CellKind.GRU;
        cs = lstm ? new float[l * d][(time + 1) * batch * h] : null;
        aux = gru ? new float[l * d][tb * h] : null;
        wHhT = new float[l * d][h * gh];
        ghh = new float[batch * gh];
        dG = new float[tb * gh];
        dGh = gru ? new float[tb * gh] : dG;
        biasGrad = gru ? null : new float[gh];
        dh = new float[batch * h];
        dc = new float[batch * h];
        dLayerIn = new float[l][];
        for (int layer = 0; layer < l; layer++) dLayerIn[layer] = new float[tb * c.layerInputSize(layer)];
        hn = new float[l * d * batch * h];
        cn = new float[l * d * batch * h];
        dh0 = new float[l * d * batch * h];
        dc0 = new float[l * d * batch * h];
        active = new boolean[batch];
        lengths = new int[batch];
    }

    public int batch() {
        return batch;
    }

    public int time() {
        return time;
    }

    /** Output of the top layer, [T, B, D*H] time-major; padded steps are 0. */
    public float[] output() {
        return layerOut[layerOut.length - 1];
    }

    /** Final hidden states [L*D, B, H], each sequence's own last step. */
    public float[] hn() {
        return hn;
    }

    /** Final LSTM cell states [L*D, B, H]. */
    public float[] cn() {
        return cn;
    }

    /**
     * Whether {@code backward} computes the gradient w.r.t. the input (default true). A model fed with
     * features whose gradient nobody reads turns it off, as PyTorch skips it for inputs that do not
     * require grad.
     */
    public void setInputGradient(boolean on) {
        inputGradient = on;
    }

    /** Gradient w.r.t. the input, [T, B, I] time-major, after {@code backward}. */
    public float[] dInput() {
        if (!inputGradient) throw new IllegalStateException("the input gradient was turned off (setInputGradient(false))");
        return dLayerIn[0];
    }

    /** Gradient w.r.t. h0, [L*D, B, H], after {@code backward}. */
    public float[] dh0() {
        return dh0;
    }

    /** Gradient w.r.t. c0, [L*D, B, H], after {@code backward} (LSTM). */
    public float[] dc0() {
        return dc0;
    }

    /**
     * The carried hidden-state gradient buffer for hooks: during {@code backward}, after the step at
     * time t, it holds dL/dh_{t-1} of the layer/direction being processed.
     */
    float[] carriedDh() {
        return dh;
    }
}
