package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.kernel.GemmReference;
import org.rnn4j.tensor.Rng;

/** The blocked products equal the naive reference, with offsets, leading dimensions and accumulation. */
class PanelGemmTest {

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,3,2", "5,700,300", "7,100,1500", "3,2100,70", "9,65,1031", "4,6,0"})
    void agreesWithTheReference(int m, int n, int k) {
        Rng rng = new Rng(m * 1000L + n + k);
        int lda = k + 3, ldb = n + 5, ldc = n + 2, ldat = m + 1;
        float[] a = random(rng, 2 + m * lda), at = random(rng, 1 + k * ldat), b = random(rng, 3 + k * ldb);
        for (boolean acc : new boolean[] {false, true}) {
            float[] c0 = random(rng, 4 + m * ldc);
            float[] want = c0.clone(), got = c0.clone();
            GemmReference.gemm(false, false, m, n, k, a, 2, lda, b, 3, ldb, want, 4, ldc, acc);
            PanelGemm.nn(m, n, k, a, 2, lda, b, 3, ldb, got, 4, ldc, acc);
            close(want, got, k);
            want = c0.clone();
            got = c0.clone();
            GemmReference.gemm(true, false, m, n, k, at, 1, ldat, b, 3, ldb, want, 4, ldc, acc);
            PanelGemm.tn(m, n, k, at, 1, ldat, b, 3, ldb, got, 4, ldc, acc);
            close(want, got, k);
        }
    }

    @ParameterizedTest(name = "n={0} k={1}")
    @CsvSource({"700,300", "256,2000"})
    void resultsDoNotDependOnTheNumberOfRows(int n, int k) {
        Rng rng = new Rng(9);
        int m = 13;
        float[] a = random(rng, m * k), b = random(rng, k * n), all = new float[m * n];
        PanelGemm.nn(m, n, k, a, 0, k, b, 0, n, all, 0, n, false);
        for (int i = 0; i < m; i++) {
            float[] one = new float[n];
            PanelGemm.nn(1, n, k, a, i * k, k, b, 0, n, one, 0, n, false);
            // The kernel picks its path by shape (a dedicated M = 1 path), so sums may round differently in
            // the last bit; what must hold is that a row does not see its neighbours.
            float[] row = java.util.Arrays.copyOfRange(all, i * n, (i + 1) * n);
            for (int j = 0; j < n; j++) {
                assertEquals(row[j], one[j], 1e-6 * k * (1 + Math.abs(row[j])), "row " + i + " column " + j);
            }
        }
    }

    /**
     * The former blocking (column panels a multiple of 64 wide, then row blocks of B) gave these exact
     * bits; dropping the column panels must not change a single one, since only the K blocks decide
     * the order of the sums. The shapes are the seq2seq model's per-step and weight-gradient products.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"64,1536,448", "64,1536,384", "64,384,1536", "64,448,1536", "64,768,384", "64,384,768", "42,384,576",
                "1536,448,576", "384,768,576", "2,100,1500", "65,700,300", "1,1536,448"})
    void sameBitsAsTheFormerColumnPanels(int m, int n, int k) {
        Rng rng = new Rng(m * 7919L + n * 31L + k);
        float[] a = random(rng, m * k), at = random(rng, k * m), b = random(rng, k * n);
        for (boolean acc : new boolean[] {false, true}) {
            float[] c0 = random(rng, m * n);
            float[] want = c0.clone(), got = c0.clone();
            formerNn(m, n, k, a, b, want, acc);
            PanelGemm.nn(m, n, k, a, 0, k, b, 0, n, got, 0, n, acc);
            assertArrayEquals(want, got, "nn");
            want = c0.clone();
            got = c0.clone();
            formerTn(m, n, k, at, b, want, acc);
            PanelGemm.tn(m, n, k, at, 0, m, b, 0, n, got, 0, n, acc);
            assertArrayEquals(want, got, "tn");
        }
    }

    /** PanelGemm.nn as it was before the column panels were dropped. */
    private static void formerNn(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        former(false, m, n, k, a, b, c, accumulate);
    }

    /** PanelGemm.tn (A stored [K, M]) as it was before the column panels were dropped. */
    private static void formerTn(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        former(true, m, n, k, a, b, c, accumulate);
    }

    private static void former(boolean transposedA, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        int lda = transposedA ? m : k;
        if ((long) k * n <= PanelGemm.BLOCK_FLOATS) {
            if (transposedA) Gemm.tn(m, n, k, a, 0, lda, b, 0, n, c, 0, n, accumulate);
            else Gemm.nn(m, n, k, a, 0, lda, b, 0, n, c, 0, n, accumulate);
            return;
        }
        int cols = Math.min(n, Math.max(64, (PanelGemm.BLOCK_FLOATS / k) / 64 * 64));
        int rows = Math.max(16, PanelGemm.BLOCK_FLOATS / cols);
        for (int j0 = 0; j0 < n; j0 += cols) {
            int nb = Math.min(cols, n - j0);
            for (int k0 = 0; k0 < k; k0 += rows) {
                int kb = Math.min(rows, k - k0);
                boolean acc = accumulate || k0 > 0;
                if (transposedA) Gemm.tn(m, nb, kb, a, k0 * m, lda, b, k0 * n + j0, n, c, j0, n, acc);
                else Gemm.nn(m, nb, kb, a, k0, lda, b, k0 * n + j0, n, c, j0, n, acc);
            }
        }
    }

    private static void close(float[] want, float[] got, int k) {
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * k + 1e-5 * Math.abs(want[i]), "element " + i);
    }

    private static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextFloat() * 2 - 1;
        return x;
    }
}
