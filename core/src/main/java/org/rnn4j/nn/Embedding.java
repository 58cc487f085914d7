package org.rnn4j.nn;

import org.rnn4j.tensor.Rng;
import org.rnn4j.nn.Parameters.Param;

/** Token lookup table {@code <prefix>weight} [V, E], as torch.nn.Embedding: row v is token v's vector. */
public final class Embedding {
    private final int vocab;
    private final int dim;
    private final Param weight;

    public Embedding(int vocab, int dim, Parameters.Builder builder, String prefix) {
        if (vocab <= 0) throw new IllegalArgumentException("vocabulary size must be > 0, got " + vocab);
        if (dim <= 0) throw new IllegalArgumentException("embedding size must be > 0, got " + dim);
        this.vocab = vocab;
        this.dim = dim;
        this.weight = builder.add(prefix + "weight", vocab, dim);
    }

    public int vocabularySize() {
        return vocab;
    }

    public int dimension() {
        return dim;
    }

    /** PyTorch's default: N(0, 1). */
    public void initialize(Parameters p, Rng rng) {
        float[] v = p.values();
        for (int i = 0; i < weight.size(); i++) v[weight.offset() + i] = (float) rng.nextGaussian();
    }

    /** y[i, :] = W[tokens[i], :] for i in [0, n). */
    public void forward(Parameters p, int[] tokens, int n, float[] y) {
        float[] v = p.values();
        for (int i = 0; i < n; i++) {
            int t = tokens[i];
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("token " + t + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
            }
            System.arraycopy(v, weight.offset() + t * dim, y, i * dim, dim);
        }
    }

    /** dW[tokens[i], :] += dY[i, :]. */
    public void backward(Parameters p, int[] tokens, int n, float[] dY) {
        float[] g = p.grads();
        for (int i = 0; i < n; i++) {
            int row = weight.offset() + tokens[i] * dim;
            for (int j = 0; j < dim; j++) g[row + j] += dY[i * dim + j];
        }
    }
}
