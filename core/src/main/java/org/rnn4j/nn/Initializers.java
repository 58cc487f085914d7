package org.rnn4j.nn;

import org.rnn4j.tensor.Rng;

/** Weight initialisers writing into a flat buffer at an offset; all draw from an explicit generator. */
public final class Initializers {
    private Initializers() {}

    /** U(-bound, bound) into {@code v[off, off+n)}. */
    public static void uniform(float[] v, int off, int n, float bound, Rng rng) {
        for (int i = 0; i < n; i++) v[off + i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }

    /** Xavier/Glorot uniform for a [rows, cols] matrix: U(±sqrt(6 / (rows + cols))). */
    public static void xavierUniform(float[] v, int off, int rows, int cols, Rng rng) {
        uniform(v, off, rows * cols, (float) Math.sqrt(6.0 / (rows + cols)), rng);
    }

    /** A random orthogonal [n, n] matrix: Gram–Schmidt (in double) on Gaussian rows. */
    public static void orthogonal(float[] v, int off, int n, Rng rng) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) q[i][j] = rng.nextGaussian();
            for (int pass = 0; pass < 2; pass++) { // re-orthogonalise once for accuracy
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += q[i][j] * q[k][j];
                    for (int j = 0; j < n; j++) q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) norm += q[i][j] * q[i][j];
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) q[i][j] /= norm;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) v[off + i * n + j] = (float) q[i][j];
        }
    }
}
