package org.rnn4j.nn;

import org.rnn4j.tensor.Rng;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.nn.Parameters.Param;

/**
 * Affine map applied to every row: {@code y[N, O] = x[N, In] · Wᵀ + b}, with W [O, In] and b [O] named
 * {@code <prefix>weight}, {@code <prefix>bias} as torch.nn.Linear. For sequences N = T*B.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final Param weight;
    private final Param bias;

    public Linear(int in, int out, boolean bias, Parameters.Builder builder, String prefix) {
        if (in <= 0) throw new IllegalArgumentException("Linear input size must be > 0, got " + in);
        if (out <= 0) throw new IllegalArgumentException("Linear output size must be > 0, got " + out);
        this.in = in;
        this.out = out;
        this.weight = builder.add(prefix + "weight", out, in);
        this.bias = bias ? builder.add(prefix + "bias", out) : null;
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    /** PyTorch's default: W and b from U(±1/sqrt(in)). */
    public void initialize(Parameters p, Rng rng) {
        float bound = (float) (1.0 / Math.sqrt(in));
        Initializers.uniform(p.values(), weight.offset(), weight.size(), bound, rng);
        if (bias != null) Initializers.uniform(p.values(), bias.offset(), bias.size(), bound, rng);
    }

    /** Scratch this layer needs: a transposed copy of W, [In, O]. */
    public float[] newScratch() {
        return new float[in * out];
    }

    /**
     * @param x [N, In]
     * @param y [N, O], overwritten
     * @param scratch from {@link #newScratch()}
     */
    public void forward(Parameters p, float[] x, int n, float[] y, float[] scratch) {
        float[] v = p.values();
        Gemm.transpose(out, in, v, weight.offset(), in, scratch, 0);
        if (bias != null) Gemm.broadcastRows(n, out, v, bias.offset(), y, 0, out, false);
        Gemm.nn(n, out, in, x, 0, in, scratch, 0, out, y, 0, out, bias != null);
    }

    /**
     * Adds dW, db into {@code p.grads()} and writes dX (if not null).
     *
     * @param x  [N, In] the forward input
     * @param dY [N, O]
     * @param dX [N, In] overwritten, or null when not needed
     */
    public void backward(Parameters p, float[] x, float[] dY, int n, float[] dX) {
        float[] g = p.grads();
        Gemm.tn(out, in, n, dY, 0, out, x, 0, in, g, weight.offset(), in, true);
        if (bias != null) Gemm.addColumnSums(n, out, dY, 0, out, g, bias.offset());
        if (dX != null) Gemm.nn(n, in, out, dY, 0, out, p.values(), weight.offset(), in, dX, 0, in, false);
    }
}
