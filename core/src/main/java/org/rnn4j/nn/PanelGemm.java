package org.rnn4j.nn;

import org.rnn4j.kernel.Gemm;

/**
 * {@code C (+)= A·B} (A [M, K], B [K, N], row-major) as a sequence of {@link Gemm#nn} calls on blocks
 * of B small enough to stay in the L2 cache while every row of A streams past them.
 *
 * <p>Why: {@link Gemm} walks C in 4-row tiles and streams all of B for each tile, so when B is
 * large (an output layer over a vocabulary of thousands, [H, V] ≈ 9 MB) it is read from memory M/4
 * times and the product is bound by memory bandwidth. Cutting B into panels of about 128 KB makes it
 * cache-resident across the M/4 tiles. The blocking depends on (K, N) only, never on M, so results
 * do not depend on the batch size. (A candidate for {@code Gemm} itself; kept here as a new file.)
 */
public final class PanelGemm {
    /** Floats of B per block: 128 KB. */
    static final int BLOCK_FLOATS = 1 << 15;

    private PanelGemm() {}

    /** Same contract as {@link Gemm#nn}. */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        if ((long) k * n <= BLOCK_FLOATS) {
            Gemm.nn(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // column panels a multiple of 64 wide (whole vector tiles), then row blocks of B to fit
        int cols = Math.min(n, Math.max(64, (BLOCK_FLOATS / Math.max(1, k)) / 64 * 64));
        int rows = Math.max(16, BLOCK_FLOATS / cols);
        for (int j0 = 0; j0 < n; j0 += cols) {
            int nb = Math.min(cols, n - j0);
            for (int k0 = 0; k0 < k; k0 += rows) {
                int kb = Math.min(rows, k - k0);
                Gemm.nn(m, nb, kb, a, aOff + k0, lda, b, bOff + k0 * ldb + j0, ldb, c, cOff + j0, ldc, accumulate || k0 > 0);
            }
        }
    }

    /** Same contract as {@link Gemm#tn} ({@code C (+)= Aᵀ·B}, A stored [K, M]); B is blocked the same way. */
    public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        if ((long) k * n <= BLOCK_FLOATS) {
            Gemm.tn(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int cols = Math.min(n, Math.max(64, (BLOCK_FLOATS / Math.max(1, k)) / 64 * 64));
        int rows = Math.max(16, BLOCK_FLOATS / cols);
        for (int j0 = 0; j0 < n; j0 += cols) {
            int nb = Math.min(cols, n - j0);
            for (int k0 = 0; k0 < k; k0 += rows) {
                int kb = Math.min(rows, k - k0);
                Gemm.tn(m, nb, kb, a, aOff + k0 * lda, lda, b, bOff + k0 * ldb + j0, ldb, c, cOff + j0, ldc, accumulate || k0 > 0);
            }
        }
    }
}
