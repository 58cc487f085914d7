package org.rnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.rnn4j.tensor.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fast GEMM against the naive double-accumulating reference, on random shapes including 1 and odd sizes. */
class GemmAgreesWithReferenceTest {

    @Property(tries = 300)
    void allVariantsAgree(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 90) int n,
                          @ForAll @IntRange(min = 0, max = 70) int k, @ForAll @IntRange(min = 0, max = 2) int variant,
                          @ForAll boolean accumulate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        boolean transA = variant == 1, transB = variant == 2;
        int lda = (transA ? m : k) + rng.nextInt(3), ldb = (transB ? k : n) + rng.nextInt(3), ldc = n + rng.nextInt(3);
        int aOff = rng.nextInt(4), bOff = rng.nextInt(4), cOff = rng.nextInt(4);
        float[] a = random(rng, aOff + (transA ? k : m) * lda + 1);
        float[] b = random(rng, bOff + (transB ? n : k) * ldb + 1);
        float[] c = random(rng, cOff + m * ldc + 1);
        float[] expected = c.clone();
        GemmReference.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, accumulate);
        float[] actual = c.clone();
        switch (variant) {
            case 0 -> Gemm.nn(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, accumulate);
            case 1 -> Gemm.tn(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, accumulate);
            default -> Gemm.nt(m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc, accumulate, new float[n * k]);
        }
        double tol = 1e-5 * (k + 1);
        for (int i = 0; i < c.length; i++) {
            assertTrue(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
                    "variant " + variant + " m=" + m + " n=" + n + " k=" + k + " index " + i
                            + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }
}
