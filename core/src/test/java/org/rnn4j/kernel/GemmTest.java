package org.rnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast {@link Gemm} against the naive {@link GemmReference}: every variant, with and without
 * accumulate, on random shapes that hit the matrix-vector, small-M and packed paths, ragged edges
 * (1, odd sizes, non-multiples of the register tile), leading dimensions wider than the matrices and
 * non-zero offsets. Tolerances grow with K: entries are in [-1, 1], so a float dot product of length K
 * may drift by about K·2⁻²⁴ from the double-precision reference.
 */
class GemmTest {
    private static final int[] SMALL = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 47, 48, 49, 63, 64, 65, 97};

    enum Variant { NN, TN, NT }

    @Test
    void agreesWithReferenceOnRandomShapes() {
        SplittableRandom rng = new SplittableRandom(20240611L);
        for (int trial = 0; trial < 300; trial++) {
            int m = pick(rng), n = pick(rng), k = pick(rng);
            Variant v = Variant.values()[rng.nextInt(3)];
            boolean acc = rng.nextBoolean();
            check(v, m, n, k, acc, rng, false);
        }
    }

    @Test
    void agreesOnShapesThatCrossTheCacheBlocks() {
        SplittableRandom rng = new SplittableRandom(7);
        // K beyond KC (several K blocks, the accumulate-after-first-block logic), N beyond NC, M beyond MC
        int[][] shapes = {{130, 250, 400}, {70, 260, 50}, {1, 1100, 900}, {33, 100, 800}, {200, 60, 390}, {9, 49, 769}};
        for (int[] s : shapes) {
            for (Variant v : Variant.values()) {
                check(v, s[0], s[1], s[2], false, rng, false);
                check(v, s[0], s[1], s[2], true, rng, false);
            }
        }
    }

    @Test
    void splitPartsTogetherEqualTheWholeProduct() {
        SplittableRandom rng = new SplittableRandom(99);
        // drives Gemm.Split part by part on this thread, so the partitioning is tested whatever the core count
        int[][] shapes = {{32, 1024, 20}, {1024, 64, 30}, {1024, 256, 10}, {64, 50, 40}, {17, 2000, 33}, {1, 1024, 25}};
        for (int[] s : shapes) {
            for (int parts = 2; parts <= 5; parts++) {
                for (Variant v : Variant.values()) {
                    check(v, s[0], s[1], s[2], rng.nextBoolean(), rng, true, parts);
                }
            }
        }
    }

    @Test
    void largeProductsThroughThePoolAgree() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{32, 1024, 64}, {64, 512, 96}, {300, 200, 100}, {1024, 64, 40}, {1, 2048, 1024}};
        for (int[] s : shapes) {
            for (Variant v : Variant.values()) check(v, s[0], s[1], s[2], rng.nextBoolean(), rng, false);
        }
    }

    @Test
    void poolRunsEveryPartOnceAndPropagatesFailures() {
        int parts = Math.min(Parallel.threads(), 2);
        int[] hits = new int[parts];
        Parallel.run((part, total) -> hits[part]++, parts);
        for (int h : hits) assertEquals(1, h);
        if (parts > 1) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Parallel.run((part, total) -> { if (part == 1) throw new IllegalStateException("boom"); }, parts));
            assertEquals("boom", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.configure(0));
    }

    @Test
    void zeroKOverwritesOrKeepsC() {
        float[] c = {5f, Float.NaN};
        Gemm.nn(1, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
        assertEquals(0f, c[0]);
        assertEquals(0f, c[1]);
        float[] d = {5f, 6f};
        Gemm.nn(1, 2, 0, new float[0], 0, 0, new float[0], 0, 2, d, 0, 2, true);
        assertEquals(5f, d[0]);
    }

    @Test
    void overwriteNeverReadsOldC() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 40, n = 100, k = 500;
        float[] a = random(m * k, rng), b = random(k * n, rng), c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        Gemm.nn(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        for (float x : c) if (Float.isNaN(x)) fail("NaN leaked from the old C");
    }

    private static int pick(SplittableRandom rng) {
        return rng.nextInt(5) == 0 ? 1 + rng.nextInt(200) : SMALL[rng.nextInt(SMALL.length)];
    }

    private static void check(Variant v, int m, int n, int k, boolean acc, SplittableRandom rng, boolean split) {
        check(v, m, n, k, acc, rng, split, 2);
    }

    private static void check(Variant v, int m, int n, int k, boolean acc, SplittableRandom rng, boolean split, int parts) {
        int padA = rng.nextInt(3), padB = rng.nextInt(3), padC = rng.nextInt(3);
        int aOff = rng.nextInt(5), bOff = rng.nextInt(5), cOff = rng.nextInt(5);
        boolean transA = v == Variant.TN, transB = v == Variant.NT;
        int lda = (transA ? m : k) + padA, ldb = (transB ? k : n) + padB, ldc = n + padC;
        float[] a = random(aOff + (transA ? k : m) * lda, rng);
        float[] b = random(bOff + (transB ? n : k) * ldb, rng);
        float[] c0 = random(cOff + m * ldc, rng);
        float[] expected = c0.clone(), actual = c0.clone();
        GemmReference.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, acc);
        if (split) {
            Gemm.Split s = new Gemm.Split();
            s.set(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                    actual, cOff, ldc, acc);
            for (int part = 0; part < parts; part++) s.run(part, parts);
        } else {
            switch (v) {
                case NN -> Gemm.nn(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, acc);
                case TN -> Gemm.tn(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, acc);
                case NT -> Gemm.nt(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, acc, null);
            }
        }
        double tol = 4 * (k + 2) * 0x1p-24;
        for (int i = 0; i < actual.length; i++) {
            boolean inC = i >= cOff && (i - cOff) % ldc < n && (i - cOff) / ldc < m;
            if (!inC) {
                if (Float.compare(actual[i], c0[i]) != 0) {
                    fail(v + " M=" + m + " N=" + n + " K=" + k + " wrote outside C at " + i);
                }
                continue;
            }
            if (Math.abs(actual[i] - expected[i]) > tol) {
                int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                fail(v + " M=" + m + " N=" + n + " K=" + k + " acc=" + acc + (split ? " split " + parts : "")
                        + ": C[" + row + ", " + col + "] = " + actual[i] + ", expected " + expected[i] + " ± " + tol);
            }
        }
    }

    private static float[] random(int size, SplittableRandom rng) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }
}
