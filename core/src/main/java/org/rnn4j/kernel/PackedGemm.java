package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * BLIS-style packed SGEMM: {@code C[M, N] (+)= A[M, K] · B[K, N]} with A and B given by element
 * strides, so one driver serves A·B, Aᵀ·B and A·Bᵀ.
 *
 * <p>Addressing: {@code A(i, p) = a[aOff + i*ars + p*acs]}, {@code B(p, j) = b[bOff + p*brs + j*bcs]},
 * {@code C(i, j) = c[cOff + i*ldc + j]}.
 *
 * <p>Blocking (the loop nest, outermost first):
 * <pre>
 *   pc over K by KC           A: row-major A is read in place (an MR-row panel is MR sequential
 *                             streams); Aᵀ (stored [K, M]) is packed into MR-tall panels, once per pc
 *     jc over N by NC         B block [KC, NC] packed into NR-wide panels (368 KB: L2 resident)
 *       ir over M by MR       A micro-panel [KC, MR] stays in L1 while ...
 *         jr over NC by NR    ... the B micro-panels stream from L2
 *           micro-kernel: an MR × NR tile of C in registers, K-loop of broadcast-FMAs
 * </pre>
 * KC = 384 and NC = 240 are the values measured best on this machine (Zen 5: 48 KB L1, 1 MB L2).
 * Packing A once per K block rather than once per (K, N) block matters for the weight gradients,
 * whose A is long ([T·B, G·H]) and whose N is short.
 * With 512-bit vectors the tile is 8 × 48 (24 accumulators + 3 B vectors + 1 broadcast = 28 of the 32
 * zmm registers); with 256-bit vectors (16 registers) it is 4 × 24.
 *
 * <p>Small M (the per-step recurrent GEMMs, M = batch ≤ 64): packing B would cost a whole pass over the
 * weights for only M uses of each element, so full NR-wide column tiles are read straight from the
 * row-major B and only the ragged right edge is packed. M = 1 (batch-1 inference) is a matrix-vector
 * product: a separate streaming loop, over rows of B when B is given transposed ([N, K], a weight in
 * PyTorch's layout), so that batch-1 callers need no transposed copy of their weights.
 *
 * <p>The micro-kernels are long, flat methods on purpose: a FloatVector passed to or returned from a
 * method that the JIT does not inline is boxed, which costs 2.5–3× here. Vectors never cross a method
 * boundary in this class.
 */
final class PackedGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** 256-bit vectors: one MR = 8 column of a packed A panel in one load and one store. */
    private static final VectorSpecies<Float> HALF = FloatVector.SPECIES_256;
    /** Rows of the register tile: 8 where the ISA has 32 vector registers (AVX-512), else 4. */
    static final int MR = L >= 16 ? 8 : 4;
    /** Columns of the register tile: three vectors. */
    static final int NR = 3 * L;
    static final int KC = 384;
    static final int NC = 5 * NR;
    /** M at or below which B is read unpacked. */
    static final int SMALL_M = 64;

    private PackedGemm() {}

    /** Per-thread packing buffers and an edge tile; grow-only, so steady state allocates nothing. */
    static final class Buffers {
        float[] aPack = new float[MR * KC];
        float[] bPack = new float[KC * NC];
        final float[] aEdge = new float[MR * KC];
        final float[] tile = new float[MR * NR];
        /** This thread's reusable description of a split product (see {@link Gemm}). */
        final Gemm.Split split = new Gemm.Split();

        float[] aPack(int size) {
            if (aPack.length < size) aPack = new float[size];
            return aPack;
        }

        float[] bPack(int size) {
            if (bPack.length < size) bPack = new float[size];
            return bPack;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    static Buffers buffers() {
        return BUFFERS.get();
    }

    /**
     * Serial product over the whole of C (see the class comment for the addressing). {@code accumulate}
     * false overwrites C (its old contents, even NaN, are never read).
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                         float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc,
                         boolean accumulate, Buffers buf) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        // The kernels always add into C: zeroing first keeps "overwrite" out of their hot code (a
        // branch on it, seen only one way while the JIT profiles, later deoptimised the kernels back to
        // boxing, non-vectorised code for seconds) and never lets an old NaN in C through.
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
        if (m == 1 && bcs == 1) {
            gemv(n, k, a, aOff, acs, b, bOff, brs, c, cOff);
        } else if (m == 1 && brs == 1 && acs == 1) {
            gemvRows(n, k, a, aOff, b, bOff, bcs, c, cOff, buf.tile);
        } else if (bcs == 1 && m <= SMALL_M) {
            unpackedB(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, buf);
        } else {
            packedB(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, buf);
        }
    }

    // ---------------------------------------------------------------- drivers

    private static void packedB(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, Buffers buf) {
        float[] bp = buf.bPack(KC * NC);
        float[] tile = buf.tile;
        boolean packA = acs != 1;
        float[] ap = packA ? buf.aPack(((m + MR - 1) / MR) * MR * KC) : null;
        int mFull = m - m % MR;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float[] aa;
            int aBase, aRowStep, pars, pacs;
            if (packA) {
                packA(m, kc, a, aOff + pc * acs, ars, acs, ap);
                aa = ap; aBase = 0; aRowStep = kc; pars = 1; pacs = MR;
            } else {
                aa = a; aBase = aOff + pc; aRowStep = ars; pars = ars; pacs = 1;
            }
            float[] edge = buf.aEdge;
            if (!packA && mFull < m) packA(m - mFull, kc, a, aOff + mFull * ars + pc, ars, 1, edge);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                packB(kc, nc, b, bOff + pc * brs + jc * bcs, brs, bcs, bp);
                for (int ir = 0; ir < m; ir += MR) {
                    int rows = Math.min(MR, m - ir);
                    boolean edgeRows = !packA && ir >= mFull;
                    float[] pa = edgeRows ? edge : aa;
                    int paOff = edgeRows ? 0 : aBase + ir * aRowStep;
                    int r = edgeRows ? 1 : pars, q = edgeRows ? MR : pacs;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        tile(rows, cols, kc, pa, paOff, r, q, bp, jr * kc, NR, c, cOff + ir * ldc + jc + jr, ldc, tile);
                    }
                }
            }
        }
    }

    /** B read in place (full NR-wide tiles), only its ragged right edge packed; A as in packedB. */
    private static void unpackedB(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                  float[] b, int bOff, int brs, float[] c, int cOff, int ldc, Buffers buf) {
        boolean packA = acs != 1;
        float[] ap = packA ? buf.aPack(((m + MR - 1) / MR) * MR * KC) : null;
        float[] bp = buf.bPack(KC * NR);
        float[] tile = buf.tile, edge = buf.aEdge;
        int mFull = m - m % MR, nFull = n - n % NR;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float[] aa;
            int aBase, aRowStep, pars, pacs;
            if (packA) {
                packA(m, kc, a, aOff + pc * acs, ars, acs, ap);
                aa = ap; aBase = 0; aRowStep = kc; pars = 1; pacs = MR;
            } else {
                aa = a; aBase = aOff + pc; aRowStep = ars; pars = ars; pacs = 1;
                if (mFull < m) packA(m - mFull, kc, a, aOff + mFull * ars + pc, ars, 1, edge);
            }
            int bRow = bOff + pc * brs;
            for (int jr = 0; jr < n; jr += NR) {
                int cols = Math.min(NR, n - jr);
                float[] bb = b;
                int bIdx = bRow + jr, bStride = brs;
                if (jr >= nFull) {
                    packB(kc, cols, b, bRow + jr, brs, 1, bp);
                    bb = bp; bIdx = 0; bStride = NR;
                }
                for (int ir = 0; ir < m; ir += MR) {
                    int rows = Math.min(MR, m - ir);
                    boolean edgeRows = !packA && ir >= mFull;
                    float[] pa = edgeRows ? edge : aa;
                    int paOff = edgeRows ? 0 : aBase + ir * aRowStep;
                    int r = edgeRows ? 1 : pars, q = edgeRows ? MR : pacs;
                    tile(rows, cols, kc, pa, paOff, r, q, bb, bIdx, bStride, c, cOff + ir * ldc + jr, ldc, tile);
                }
            }
        }
    }

    /**
     * One MR × NR tile (or a ragged part of one at the edges): full tiles go straight to C; edge tiles
     * are computed into {@code tile} and their valid part copied out.
     */
    private static void tile(int rows, int cols, int kc, float[] ap, int apOff, int ars, int acs,
                             float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc, float[] tile) {
        int nv = (cols + L - 1) / L;
        if (rows == MR && cols == nv * L) {
            kernel(nv, kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
            return;
        }
        java.util.Arrays.fill(tile, 0f);
        kernel(nv, kc, ap, apOff, ars, acs, bp, bpOff, bStride, tile, 0, NR);
        for (int r = 0; r < rows; r++) {
            int cr = cOff + r * ldc, tr = r * NR;
            for (int j = 0; j < cols; j++) c[cr + j] += tile[tr + j];
        }
    }

    private static void kernel(int nv, int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                               float[] c, int cOff, int ldc) {
        if (MR == 8) {
            switch (nv) {
                case 3 -> k8x3(kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
                case 2 -> k8x2(kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
                default -> k8x1(kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
            }
        } else {
            switch (nv) {
                case 3 -> k4x3(kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
                default -> k4x1(nv, kc, ap, apOff, ars, acs, bp, bpOff, bStride, c, cOff, ldc);
            }
        }
    }

    // ---------------------------------------------------------------- packing

    /**
     * Packs A[0..mc, 0..kc) into MR-tall panels: panel q holds, for each p, the MR values
     * A(q*MR + 0..MR-1, p) contiguously, at {@code ap[q*MR*kc + p*MR + r]}; rows past mc are zero.
     */
    static void packA(int mc, int kc, float[] a, int aOff, int ars, int acs, float[] ap) {
        for (int q = 0, i0 = 0; i0 < mc; q++, i0 += MR) {
            int rows = Math.min(MR, mc - i0);
            int base = q * MR * kc;
            if (ars == 1 && rows == MR) {
                // Aᵀ stored [K, M]: the MR values of one p are contiguous
                if (MR == HALF.length()) {
                    for (int p = 0, src = aOff + i0, dst = base; p < kc; p++, src += acs, dst += MR) {
                        FloatVector.fromArray(HALF, a, src).intoArray(ap, dst);
                    }
                } else {
                    for (int p = 0, src = aOff + i0, dst = base; p < kc; p++, src += acs, dst += MR) {
                        for (int r = 0; r < MR; r++) ap[dst + r] = a[src + r];
                    }
                }
                continue;
            }
            for (int r = 0; r < MR; r++) {
                int dst = base + r;
                if (r < rows) {
                    int src = aOff + (i0 + r) * ars;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR] = a[src + p * acs];
                } else {
                    for (int p = 0; p < kc; p++) ap[dst + p * MR] = 0f;
                }
            }
        }
    }

    /**
     * Packs B[0..kc, 0..nc) into NR-wide panels: panel q holds rows p of B(p, q*NR .. q*NR+NR-1) at
     * {@code bp[q*NR*kc + p*NR + j]}; columns past nc are zero up to the next multiple of L.
     */
    static void packB(int kc, int nc, float[] b, int bOff, int brs, int bcs, float[] bp) {
        for (int q = 0, j0 = 0; j0 < nc; q++, j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int padded = (cols + L - 1) / L * L;
            int base = q * NR * kc;
            if (bcs == 1) {
                if (cols == NR) {
                    for (int p = 0, src = bOff + j0, dst = base; p < kc; p++, src += brs, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                        FloatVector.fromArray(S, b, src + 2 * L).intoArray(bp, dst + 2 * L);
                    }
                } else {
                    for (int p = 0, src = bOff + j0, dst = base; p < kc; p++, src += brs, dst += NR) {
                        for (int j = 0; j < padded; j += L) {
                            VectorMask<Float> mask = S.indexInRange(j, cols);
                            FloatVector.fromArray(S, b, src + j, mask).intoArray(bp, dst + j);
                        }
                    }
                }
            } else {
                // Bᵀ stored [N, K]: walk each source row contiguously
                for (int j = 0; j < padded; j++) {
                    int dst = base + j;
                    if (j < cols) {
                        int src = bOff + (j0 + j) * bcs;
                        for (int p = 0; p < kc; p++) bp[dst + p * NR] = b[src + p * brs];
                    } else {
                        for (int p = 0; p < kc; p++) bp[dst + p * NR] = 0f;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- matrix-vector (M = 1)

    /** {@code c[N] (+)= a[K] · B[K, N]}, B row-major: four vectors of C in registers, K streamed. */
    private static void gemv(int n, int k, float[] a, int aOff, int acs, float[] b, int bOff, int brs,
                             float[] c, int cOff) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            int bp = bOff + j, ap = aOff;
            for (int p = 0; p < k; p++, bp += brs, ap += acs) {
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                s0 = FloatVector.fromArray(S, b, bp).fma(x, s0);
                s1 = FloatVector.fromArray(S, b, bp + L).fma(x, s1);
                s2 = FloatVector.fromArray(S, b, bp + 2 * L).fma(x, s2);
                s3 = FloatVector.fromArray(S, b, bp + 3 * L).fma(x, s3);
            }
            int cj = cOff + j;
            s0 = s0.add(FloatVector.fromArray(S, c, cj));
            s1 = s1.add(FloatVector.fromArray(S, c, cj + L));
            s2 = s2.add(FloatVector.fromArray(S, c, cj + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, c, cj + 3 * L));
            s0.intoArray(c, cj);
            s1.intoArray(c, cj + L);
            s2.intoArray(c, cj + 2 * L);
            s3.intoArray(c, cj + 3 * L);
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector s0 = FloatVector.zero(S);
            int bp = bOff + j, ap = aOff;
            for (int p = 0; p < k; p++, bp += brs, ap += acs) {
                s0 = FloatVector.fromArray(S, b, bp, mask).fma(FloatVector.broadcast(S, a[ap]), s0);
            }
            int cj = cOff + j;
            s0 = s0.add(FloatVector.fromArray(S, c, cj, mask));
            s0.intoArray(c, cj, mask);
        }
    }

    /**
     * {@code c[N] (+)= a[K] · Bᵀ} with B stored [N, K] (row j of B contiguous, leading dimension ldb):
     * batch-1 products against a weight matrix kept in PyTorch's [out, in] layout. Four dot products
     * at a time along K, so B streams once, row by row, and nothing is packed or transposed.
     */
    private static void gemvRows(int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, float[] lanes) {
        int kv = k - k % L;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                FloatVector x = FloatVector.fromArray(S, a, aOff + p);
                s0 = FloatVector.fromArray(S, b, b0 + p).fma(x, s0);
                s1 = FloatVector.fromArray(S, b, b1 + p).fma(x, s1);
                s2 = FloatVector.fromArray(S, b, b2 + p).fma(x, s2);
                s3 = FloatVector.fromArray(S, b, b3 + p).fma(x, s3);
            }
            // lane sums in a fixed order (deterministic in compiled and interpreted code alike), through
            // a per-thread scratch: a shuffle-based reduction per row cost 10x here (0.7 ms per S4 step)
            s0.intoArray(lanes, 0);
            s1.intoArray(lanes, L);
            s2.intoArray(lanes, 2 * L);
            s3.intoArray(lanes, 3 * L);
            float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            for (int l = 0; l < L; l++) {
                d0 += lanes[l];
                d1 += lanes[L + l];
                d2 += lanes[2 * L + l];
                d3 += lanes[3 * L + l];
            }
            for (int p = kv; p < k; p++) {
                float x = a[aOff + p];
                d0 += x * b[b0 + p];
                d1 += x * b[b1 + p];
                d2 += x * b[b2 + p];
                d3 += x * b[b3 + p];
            }
            c[cOff + j] += d0;
            c[cOff + j + 1] += d1;
            c[cOff + j + 2] += d2;
            c[cOff + j + 3] += d3;
        }
        for (; j < n; j++) {
            int bj = bOff + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = FloatVector.fromArray(S, b, bj + p).fma(FloatVector.fromArray(S, a, aOff + p), s0);
            }
            s0.intoArray(lanes, 0);
            float d = 0;
            for (int l = 0; l < L; l++) d += lanes[l];
            for (int p = kv; p < k; p++) d += a[aOff + p] * b[bj + p];
            c[cOff + j] += d;
        }
    }

    // ---------------------------------------------------------------- micro-kernels
    // A micro-panel: ap[apOff + p*MR + r]. B rows: bp[bpOff + p*bStride + v*L]. C tile at cOff, ldc.

    private static void k8x3(int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        final int a1 = ars, a2 = 2 * ars, a3 = 3 * ars, a4 = 4 * ars, a5 = 5 * ars, a6 = 6 * ars, a7 = 7 * ars;
        int pa = apOff, pb = bpOff;
        for (int p = 0; p < kc; p++, pa += acs, pb += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, pb + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[pa]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, ap[pa + a1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, ap[pa + a2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, ap[pa + a3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, ap[pa + a4]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41); c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, ap[pa + a5]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51); c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, ap[pa + a6]);
            c60 = b0.fma(x, c60); c61 = b1.fma(x, c61); c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, ap[pa + a7]);
            c70 = b0.fma(x, c70); c71 = b1.fma(x, c71); c72 = b2.fma(x, c72);
        }
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        c00 = c00.add(FloatVector.fromArray(S, c, r0)); c01 = c01.add(FloatVector.fromArray(S, c, r0 + L)); c02 = c02.add(FloatVector.fromArray(S, c, r0 + 2 * L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1)); c11 = c11.add(FloatVector.fromArray(S, c, r1 + L)); c12 = c12.add(FloatVector.fromArray(S, c, r1 + 2 * L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2)); c21 = c21.add(FloatVector.fromArray(S, c, r2 + L)); c22 = c22.add(FloatVector.fromArray(S, c, r2 + 2 * L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3)); c31 = c31.add(FloatVector.fromArray(S, c, r3 + L)); c32 = c32.add(FloatVector.fromArray(S, c, r3 + 2 * L));
        c40 = c40.add(FloatVector.fromArray(S, c, r4)); c41 = c41.add(FloatVector.fromArray(S, c, r4 + L)); c42 = c42.add(FloatVector.fromArray(S, c, r4 + 2 * L));
        c50 = c50.add(FloatVector.fromArray(S, c, r5)); c51 = c51.add(FloatVector.fromArray(S, c, r5 + L)); c52 = c52.add(FloatVector.fromArray(S, c, r5 + 2 * L));
        c60 = c60.add(FloatVector.fromArray(S, c, r6)); c61 = c61.add(FloatVector.fromArray(S, c, r6 + L)); c62 = c62.add(FloatVector.fromArray(S, c, r6 + 2 * L));
        c70 = c70.add(FloatVector.fromArray(S, c, r7)); c71 = c71.add(FloatVector.fromArray(S, c, r7 + L)); c72 = c72.add(FloatVector.fromArray(S, c, r7 + 2 * L));
        c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + 2 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + L); c42.intoArray(c, r4 + 2 * L);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + L); c52.intoArray(c, r5 + 2 * L);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + L); c62.intoArray(c, r6 + 2 * L);
        c70.intoArray(c, r7); c71.intoArray(c, r7 + L); c72.intoArray(c, r7 + 2 * L);
    }

    private static void k8x2(int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        final int a1 = ars, a2 = 2 * ars, a3 = 3 * ars, a4 = 4 * ars, a5 = 5 * ars, a6 = 6 * ars, a7 = 7 * ars;
        int pa = apOff, pb = bpOff;
        for (int p = 0; p < kc; p++, pa += acs, pb += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[pa]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, ap[pa + a1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, ap[pa + a2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, ap[pa + a3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, ap[pa + a4]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, ap[pa + a5]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, ap[pa + a6]);
            c60 = b0.fma(x, c60); c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, ap[pa + a7]);
            c70 = b0.fma(x, c70); c71 = b1.fma(x, c71);
        }
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        c00 = c00.add(FloatVector.fromArray(S, c, r0)); c01 = c01.add(FloatVector.fromArray(S, c, r0 + L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1)); c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2)); c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3)); c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
        c40 = c40.add(FloatVector.fromArray(S, c, r4)); c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
        c50 = c50.add(FloatVector.fromArray(S, c, r5)); c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        c60 = c60.add(FloatVector.fromArray(S, c, r6)); c61 = c61.add(FloatVector.fromArray(S, c, r6 + L));
        c70 = c70.add(FloatVector.fromArray(S, c, r7)); c71 = c71.add(FloatVector.fromArray(S, c, r7 + L));
        c00.intoArray(c, r0); c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + L);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7); c71.intoArray(c, r7 + L);
    }

    private static void k8x1(int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        final int a1 = ars, a2 = 2 * ars, a3 = 3 * ars, a4 = 4 * ars, a5 = 5 * ars, a6 = 6 * ars, a7 = 7 * ars;
        int pa = apOff, pb = bpOff;
        for (int p = 0; p < kc; p++, pa += acs, pb += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            c0 = b0.fma(FloatVector.broadcast(S, ap[pa]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, ap[pa + a1]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, ap[pa + a2]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, ap[pa + a3]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, ap[pa + a4]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, ap[pa + a5]), c5);
            c6 = b0.fma(FloatVector.broadcast(S, ap[pa + a6]), c6);
            c7 = b0.fma(FloatVector.broadcast(S, ap[pa + a7]), c7);
        }
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        c0 = c0.add(FloatVector.fromArray(S, c, r0));
        c1 = c1.add(FloatVector.fromArray(S, c, r1));
        c2 = c2.add(FloatVector.fromArray(S, c, r2));
        c3 = c3.add(FloatVector.fromArray(S, c, r3));
        c4 = c4.add(FloatVector.fromArray(S, c, r4));
        c5 = c5.add(FloatVector.fromArray(S, c, r5));
        c6 = c6.add(FloatVector.fromArray(S, c, r6));
        c7 = c7.add(FloatVector.fromArray(S, c, r7));
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
        c4.intoArray(c, r4);
        c5.intoArray(c, r5);
        c6.intoArray(c, r6);
        c7.intoArray(c, r7);
    }

    /** 4 × 3L tile for 16-register ISAs (AVX2): 12 accumulators + 3 B vectors + 1 broadcast. */
    private static void k4x3(int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        final int a1 = ars, a2 = 2 * ars, a3 = 3 * ars;
        int pa = apOff, pb = bpOff;
        for (int p = 0; p < kc; p++, pa += acs, pb += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, pb + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[pa]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, ap[pa + a1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, ap[pa + a2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, ap[pa + a3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
        }
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        c00 = c00.add(FloatVector.fromArray(S, c, r0)); c01 = c01.add(FloatVector.fromArray(S, c, r0 + L)); c02 = c02.add(FloatVector.fromArray(S, c, r0 + 2 * L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1)); c11 = c11.add(FloatVector.fromArray(S, c, r1 + L)); c12 = c12.add(FloatVector.fromArray(S, c, r1 + 2 * L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2)); c21 = c21.add(FloatVector.fromArray(S, c, r2 + L)); c22 = c22.add(FloatVector.fromArray(S, c, r2 + 2 * L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3)); c31 = c31.add(FloatVector.fromArray(S, c, r3 + L)); c32 = c32.add(FloatVector.fromArray(S, c, r3 + 2 * L));
        c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + 2 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L);
    }

    /** 4 × nv·L tile for 16-register ISAs, one vector column at a time (edges only). */
    private static void k4x1(int nv, int kc, float[] ap, int apOff, int ars, int acs, float[] bp, int bpOff, int bStride,
                             float[] c, int cOff, int ldc) {
        for (int v = 0; v < nv; v++) {
            FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
            final int a1 = ars, a2 = 2 * ars, a3 = 3 * ars;
            int pa = apOff, pb = bpOff + v * L;
            for (int p = 0; p < kc; p++, pa += acs, pb += bStride) {
                FloatVector b0 = FloatVector.fromArray(S, bp, pb);
                c0 = b0.fma(FloatVector.broadcast(S, ap[pa]), c0);
                c1 = b0.fma(FloatVector.broadcast(S, ap[pa + a1]), c1);
                c2 = b0.fma(FloatVector.broadcast(S, ap[pa + a2]), c2);
                c3 = b0.fma(FloatVector.broadcast(S, ap[pa + a3]), c3);
            }
            int r0 = cOff + v * L, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
            c0.add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
            c1.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
            c2.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
            c3.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
        }
    }
}
