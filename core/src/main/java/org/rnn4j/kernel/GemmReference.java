package org.rnn4j.kernel;

/**
 * The naive triple loop, accumulated in double: the yardstick the fast {@link Gemm} is tested against.
 * Same argument conventions as {@link Gemm}; {@code transA}/{@code transB} say whether A is stored
 * [K, M] and B is stored [N, K].
 */
public final class GemmReference {
    private GemmReference() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) av * bv;
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }
}
