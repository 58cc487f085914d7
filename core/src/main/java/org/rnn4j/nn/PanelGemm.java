package org.rnn4j.nn;

import org.rnn4j.kernel.Gemm;

/**
 * {@code C (+)= A·B} (A [M, K], B [K, N], row-major) as a sequence of {@link Gemm} calls over row blocks
 * of B (blocks of K), each over the whole of N.
 *
 * <p>History, and why the K blocks stay: this class first cut B into column panels of about 128 KB
 * as well, from when {@link Gemm} streamed all of B once per 4-row tile of C. The packed kernel now
 * blocks B for the caches itself (KC × NC panels for large M; for M ≤ 64 each B element is read from
 * memory once per call), so column panels only cost: 64-column panels are 1⅓ register tiles of 48
 * (8 × 48 with AVX-512), so every panel ran one full tile and one ⅓-width edge tile at a third of the
 * speed, packed its edge columns of B on every call, and (Aᵀ·B) packed A again per panel. Cutting N
 * never changes a sum (every element of C sees the same sequence of K blocks), so dropping the
 * column panels changes no result. The K blocking, {@link #kBlock}, is kept exactly as it was: it
 * fixes the order in which partial sums over K are added, and results must not move.
 *
 * <p>The blocking depends on (K, N) only, never on M, so results do not depend on the batch size.
 */
public final class PanelGemm {
    /** Floats of B per block: 128 KB. */
    static final int BLOCK_FLOATS = 1 << 15;

    private PanelGemm() {}

    /** Same contract as {@link Gemm#nn}. */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        int rows = kBlock(n, k);
        for (int k0 = 0; k0 < k || k0 == 0; k0 += rows) {
            int kb = Math.min(rows, k - k0);
            Gemm.nn(m, n, kb, a, aOff + k0, lda, b, bOff + k0 * ldb, ldb, c, cOff, ldc, accumulate || k0 > 0);
        }
    }

    /** Same contract as {@link Gemm#tn} ({@code C (+)= Aᵀ·B}, A stored [K, M]); K is blocked the same way. */
    public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        int rows = kBlock(n, k);
        for (int k0 = 0; k0 < k || k0 == 0; k0 += rows) {
            int kb = Math.min(rows, k - k0);
            Gemm.tn(m, n, kb, a, aOff + k0 * lda, lda, b, bOff + k0 * ldb, ldb, c, cOff, ldc, accumulate || k0 > 0);
        }
    }

    /**
     * Rows of B per block: all of K when B has at most {@link #BLOCK_FLOATS} elements, else the row
     * count of the former 128 KB panels (at least 16; at most 512 for the usual K·N of a layer).
     */
    static int kBlock(int n, int k) {
        if ((long) k * n <= BLOCK_FLOATS) return Math.max(1, k);
        int cols = Math.min(n, Math.max(64, (BLOCK_FLOATS / Math.max(1, k)) / 64 * 64));
        return Math.max(16, BLOCK_FLOATS / cols);
    }
}
