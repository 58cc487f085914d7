package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply on row-major arrays with offsets and leading dimensions: the facade
 * that picks the kernel by shape (as EJML's CommonOps does) and splits large products over the
 * {@link Parallel} pool.
 *
 * <p>Dimension legend: {@code C[M, N] (+)= op(A)[M, K] · op(B)[K, N]}. Every variant shares one packed
 * kernel ({@link PackedGemm}); the transposes only change how the panels are packed. Shapes:
 * <ul>
 *   <li>M = 1 (batch-1 inference): a streaming matrix-vector loop;</li>
 *   <li>M ≤ 64 (per-step recurrent products): B read in place, A packed;</li>
 *   <li>otherwise: A and B packed into cache-sized panels, an 8 × 48 register tile.</li>
 * </ul>
 * Products of at least {@value #PARALLEL_MIN_MACS} multiply-adds are split over N (or M when N is
 * narrow) in whole register tiles, one part per pool thread; smaller ones run on the caller, because
 * waking another thread costs about as much as they take.
 *
 * <p>{@code accumulate == false} overwrites C without reading it (old NaNs do not leak through).
 * No call allocates: packing buffers are per thread and grow only. {@link GemmReference} is the naive
 * yardstick the tests hold this class to.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Below this many multiply-adds (≈ 6 µs on one core) a product runs on the calling thread. */
    static final long PARALLEL_MIN_MACS = 1L << 20;

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
        multiply(m, n, k, a, aOff, lda, 1, b, bOff, ldb, 1, c, cOff, ldc, accumulate);
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
        multiply(m, n, k, a, aOff, 1, lda, b, bOff, ldb, 1, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C (+)= A·Bᵀ} where B is stored [N, K]. B is transposed while it is packed; {@code scratch}
     * is no longer used and may be null (kept so callers that own one need not change).
     *
     * @param a [M, K] row-major with leading dimension lda
     * @param b [N, K] row-major with leading dimension ldb
     * @param c [M, N] row-major with leading dimension ldc
     */
    public static void nt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate, float[] scratch) {
        multiply(m, n, k, a, aOff, lda, 1, b, bOff, 1, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code dst[cols, rows] = src[rows, cols]ᵀ}; dst is dense with leading dimension rows.
     *
     * <p>Blocks of 8 source columns × 16 source rows: each of the block's 8 destination rows receives
     * one whole 64-byte line. With a power-of-two {@code rows} every destination line of a block maps
     * to the same L1 set, so the block must stay within the cache's associativity (8 ≤ 12 ways); the
     * former 32 × 32 blocks thrashed that set and ran 9× slower (7.4 against 0.8 ns per element).
     */
    public static void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        for (int j0 = 0; j0 < cols; j0 += 8) {
            int j1 = Math.min(cols, j0 + 8);
            for (int i0 = 0; i0 < rows; i0 += 16) {
                int i1 = Math.min(rows, i0 + 16);
                for (int j = j0; j < j1; j++) {
                    int d = dstOff + j * rows, s = srcOff + j;
                    for (int i = i0; i < i1; i++) dst[d + i] = src[s + i * lds];
                }
            }
        }
    }

    /** A(i, p) = a[aOff + i*ars + p*acs], B(p, j) = b[bOff + p*brs + j*bcs]; C row-major. */
    private static void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc,
                                 boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("GEMM dimensions must be >= 0, got M=" + m + ", N=" + n + ", K=" + k);
        }
        if (m == 0 || n == 0) return;
        int parts = parts(m, n, k);
        PackedGemm.Buffers buf = PackedGemm.buffers();
        if (parts <= 1) {
            PackedGemm.multiply(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, buf);
            return;
        }
        Split task = buf.split;
        task.set(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
        try {
            Parallel.run(task, parts);
        } finally {
            task.clear();
        }
    }

    /** How many pool threads a product of this shape is worth. */
    private static int parts(int m, int n, int k) {
        long macs = (long) m * n * k;
        if (macs < PARALLEL_MIN_MACS) return 1;
        int threads = Parallel.threads();
        if (threads <= 1) return 1;
        int tiles = Math.max(ceilDiv(n, PackedGemm.NR), m == 1 ? 0 : ceilDiv(m, PackedGemm.MR));
        return Math.max(1, Math.min(threads, tiles));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * One product split into parts along N or M, whichever divides more evenly into register tiles
     * (N preferred on ties: every part then packs only its own columns of B). One instance per thread
     * (in its {@link PackedGemm.Buffers}), refilled per call, so splitting allocates nothing.
     */
    static final class Split implements Parallel.Task {
        private int m, n, k, aOff, ars, acs, bOff, brs, bcs, cOff, ldc;
        private float[] a, b, c;
        private boolean accumulate;

        void set(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                 float[] c, int cOff, int ldc, boolean accumulate) {
            this.m = m; this.n = n; this.k = k;
            this.a = a; this.aOff = aOff; this.ars = ars; this.acs = acs;
            this.b = b; this.bOff = bOff; this.brs = brs; this.bcs = bcs;
            this.c = c; this.cOff = cOff; this.ldc = ldc;
            this.accumulate = accumulate;
        }

        void clear() {
            a = b = c = null;
        }

        @Override
        public void run(int part, int parts) {
            int nTiles = ceilDiv(n, PackedGemm.NR), mTiles = m == 1 ? 0 : ceilDiv(m, PackedGemm.MR);
            boolean alongN = balance(nTiles, parts) >= balance(mTiles, parts);
            int tiles = alongN ? nTiles : mTiles, width = alongN ? PackedGemm.NR : PackedGemm.MR;
            int from = (int) ((long) tiles * part / parts) * width;
            int to = (int) ((long) tiles * (part + 1) / parts) * width;
            int extent = alongN ? n : m;
            to = Math.min(to, extent);
            if (from >= to) return;
            PackedGemm.Buffers buf = PackedGemm.buffers();
            if (alongN) {
                PackedGemm.multiply(m, to - from, k, a, aOff, ars, acs, b, bOff + from * bcs, brs, bcs,
                        c, cOff + from, ldc, accumulate, buf);
            } else {
                PackedGemm.multiply(to - from, n, k, a, aOff + from * ars, ars, acs, b, bOff, brs, bcs,
                        c, cOff + from * ldc, ldc, accumulate, buf);
            }
        }

        /** Fraction of the busiest part's tiles that the average part has: 1.0 is a perfect split. */
        private static double balance(int tiles, int parts) {
            if (tiles < parts) return 0;
            return (double) tiles / ((long) ceilDiv(tiles, parts) * parts);
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

    /**
     * {@code out[N] += column sums of a[M, N]} — the bias gradient of a per-row affine map. Four rows per
     * pass, so the running sums are loaded and stored a quarter as often as a reads.
     */
    public static void addColumnSums(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        int nv = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            for (int j = 0; j < nv; j += L) {
                FloatVector s01 = FloatVector.fromArray(S, a, r0 + j).add(FloatVector.fromArray(S, a, r1 + j));
                FloatVector s23 = FloatVector.fromArray(S, a, r2 + j).add(FloatVector.fromArray(S, a, r3 + j));
                FloatVector.fromArray(S, out, outOff + j).add(s01.add(s23)).intoArray(out, outOff + j);
            }
            for (int j = nv; j < n; j++) out[outOff + j] += (a[r0 + j] + a[r1 + j]) + (a[r2 + j] + a[r3 + j]);
        }
        for (; i < m; i++) {
            int row = aOff + i * lda;
            for (int j = 0; j < nv; j += L) {
                FloatVector.fromArray(S, out, outOff + j).add(FloatVector.fromArray(S, a, row + j)).intoArray(out, outOff + j);
            }
            for (int j = nv; j < n; j++) out[outOff + j] += a[row + j];
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
            double part = Activations.sumLanes(acc);
            for (; j < end; j++) part += (double) x[off + j] * x[off + j];
            total += part;
            i = end;
        }
        return total;
    }
}
