package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply on row-major arrays with offsets and leading dimensions.
 *
 * <p>Dimension legend: {@code C[M, N] (+)= op(A)[M, K] · op(B)[K, N]}. {@code op(A)} is A or its
 * transpose; B is always read row by row ({@code B[k, n..n+lanes)} contiguous), which is the layout
 * every recurrent GEMM in rnn4j is arranged to use: layers keep transposed weight copies so that
 * forward products are A·B, and weight gradients are Aᵀ·B.
 *
 * <p>The kernel keeps a 4-row × 2-vector tile of C in registers and streams K; this is the first fast
 * kernel, kept simple on purpose (see {@link GemmReference} for the naive one it is tested against).
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Gemm() {}

    /**
     * {@code C = A·B} or {@code C += A·B}.
     *
     * @param a [M, K] row-major with leading dimension lda
     * @param b [K, N] row-major with leading dimension ldb
     * @param c [M, N] row-major with leading dimension ldc
     */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C (+)= Aᵀ·B} where A is stored [K, M].
     *
     * @param a [K, M] row-major with leading dimension lda
     * @param b [K, N] row-major with leading dimension ldb
     * @param c [M, N] row-major with leading dimension ldc
     */
    public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C (+)= A·Bᵀ} where B is stored [N, K]. Transposes B into {@code scratch} (at least N*K
     * floats, owned by the caller so that no call allocates) and runs the A·B kernel.
     */
    public static void nt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate, float[] scratch) {
        transpose(n, k, b, bOff, ldb, scratch, 0);
        multiply(m, n, k, a, aOff, lda, 1, scratch, 0, n, c, cOff, ldc, accumulate);
    }

    /** {@code dst[cols, rows] = src[rows, cols]ᵀ}; dst is dense with leading dimension rows. */
    public static void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        final int block = 32;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int i1 = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    int s = srcOff + i * lds;
                    for (int j = j0; j < j1; j++) dst[dstOff + j * rows + i] = src[s + j];
                }
            }
        }
    }

    /** A is addressed as a[aOff + i*ars + p*acs]; B and C are row-major. */
    private static void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
        if (k == 0) return;
        int nVec2 = n - n % (2 * L);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
            int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            int j = 0;
            for (; j < nVec2; j += 2 * L) {
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
                FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
                FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
                int bp = bOff + j;
                for (int p = 0; p < k; p++, bp += ldb) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bp);
                    FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                    int ap = p * acs;
                    FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
                    s00 = b0.fma(x0, s00); s01 = b1.fma(x0, s01);
                    FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
                    s10 = b0.fma(x1, s10); s11 = b1.fma(x1, s11);
                    FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
                    s20 = b0.fma(x2, s20); s21 = b1.fma(x2, s21);
                    FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
                    s30 = b0.fma(x3, s30); s31 = b1.fma(x3, s31);
                }
                FloatVector.fromArray(S, c, c0 + j).add(s00).intoArray(c, c0 + j);
                FloatVector.fromArray(S, c, c0 + j + L).add(s01).intoArray(c, c0 + j + L);
                FloatVector.fromArray(S, c, c1 + j).add(s10).intoArray(c, c1 + j);
                FloatVector.fromArray(S, c, c1 + j + L).add(s11).intoArray(c, c1 + j + L);
                FloatVector.fromArray(S, c, c2 + j).add(s20).intoArray(c, c2 + j);
                FloatVector.fromArray(S, c, c2 + j + L).add(s21).intoArray(c, c2 + j + L);
                FloatVector.fromArray(S, c, c3 + j).add(s30).intoArray(c, c3 + j);
                FloatVector.fromArray(S, c, c3 + j + L).add(s31).intoArray(c, c3 + j + L);
            }
            if (j < n) {
                rowsTail(4, j, n, k, a, aOff + i * ars, ars, acs, b, bOff, ldb, c, cOff + i * ldc, ldc);
            }
        }
        if (i < m) {
            rowsTail(m - i, 0, n, k, a, aOff + i * ars, ars, acs, b, bOff, ldb, c, cOff + i * ldc, ldc);
        }
    }

    /** Rows [0, rows) and columns [j0, n): one vector at a time, then masked, axpy order (i, p, j). */
    private static void rowsTail(int rows, int j0, int n, int k, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int r = 0; r < rows; r++) {
            int cr = cOff + r * ldc;
            int ar = aOff + r * ars;
            for (int j = j0; j < n; j += L) {
                var mask = S.indexInRange(j, n);
                FloatVector acc = FloatVector.zero(S);
                int bp = bOff + j;
                for (int p = 0; p < k; p++, bp += ldb) {
                    FloatVector bv = FloatVector.fromArray(S, b, bp, mask);
                    acc = bv.fma(FloatVector.broadcast(S, a[ar + p * acs]), acc);
                }
                FloatVector.fromArray(S, c, cr + j, mask).add(acc).intoArray(c, cr + j, mask);
            }
        }
    }

    /** Adds {@code bias[N]} to every row of {@code c[M, N]} (or sets each row to it when !accumulate). */
    public static void broadcastRows(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (accumulate) {
                for (int j = 0; j < n; j++) c[row + j] += bias[biasOff + j];
            } else {
                System.arraycopy(bias, biasOff, c, row, n);
            }
        }
    }

    /** {@code out[N] += column sums of a[M, N]} — the bias gradient of a per-row affine map. */
    public static void addColumnSums(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            int row = aOff + i * lda;
            int j = 0;
            for (; j + L <= n; j += L) {
                FloatVector.fromArray(S, out, outOff + j)
                        .add(FloatVector.fromArray(S, a, row + j))
                        .intoArray(out, outOff + j);
            }
            for (; j < n; j++) out[outOff + j] += a[row + j];
        }
    }

    /** Sum of squares in double, vectorised in float lanes per chunk: used for gradient norms. */
    public static double sumOfSquares(float[] x, int off, int len) {
        double total = 0;
        int i = 0;
        while (i < len) {
            int end = Math.min(len, i + 4096);
            FloatVector acc = FloatVector.zero(S);
            int j = i;
            for (; j + L <= end; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, off + j);
                acc = v.fma(v, acc);
            }
            double part = acc.reduceLanes(VectorOperators.ADD);
            for (; j < end; j++) part += (double) x[off + j] * x[off + j];
            total += part;
            i = end;
        }
        return total;
    }
}
