package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised logistic sigmoid and hyperbolic tangent over float arrays.
 *
 * <p>Both are built on our own deterministic vector {@link #exp} (not the Vector API's lanewise EXP and
 * TANH, whose compiled and interpreted forms may differ in the last bit), with the formulas
 * <pre>
 *   sigmoid(x) = 1 / (1 + exp(−x))        tanh(x) = odd polynomial (|x| < 0.625), else ±(1 − 2/(exp(2|x|) + 1))
 * </pre>
 * {@code 1/(1+exp(−x))} rather than {@code ½·tanh(x/2)+½} because it is both faster (division is
 * cheaper than tanh) and keeps its relative accuracy for very negative x, where the tanh form
 * cancels to 0.
 *
 * <p>Measured error against double precision (ActivationsTest sweeps x over [−30, 30] in steps of
 * 1e-4, plus ±88 and the float extremes, and asserts these bounds):
 * <ul>
 *   <li>sigmoid: absolute ≤ 1.2e-7, relative ≤ 2.5e-7 (measured 8.9e-8 and 1.5e-7);</li>
 *   <li>tanh: absolute ≤ 1.2e-7, relative ≤ 2.5e-7 (measured 7.1e-8 and 1.3e-7).</li>
 * </ul>
 * That is one or two float ulps, far inside the 1e-5 / 1e-4 PyTorch parity tolerances. Saturation is
 * exact: sigmoid(−∞) = 0, sigmoid(+∞) = 1, tanh(±∞) = ±1; NaN stays NaN.
 *
 * <p>The recurrent cells do not call these array functions: their fused passes
 * ({@link FusedCells}) spell the same formulas inline, so that no vector crosses a method boundary.
 */
public final class Activations {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Activations() {}

    // Deterministic vector exp/tanh. The Vector API's lanewise EXP and TANH run the JDK's math stubs
    // when compiled and a Java fallback when interpreted, and the two can differ in the last bit; so a
    // run's results would depend on how warm the JIT is, and a resumed run would not reproduce an
    // uninterrupted one bit for bit. These use only add, mul, fma, min/max, compare, blend and bit
    // operations, which are exactly rounded IEEE operations in both modes.
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: x + M - M rounds x to an integer
    private static final jdk.incubator.vector.VectorShuffle<Float>[] HALVES = halves();

    @SuppressWarnings("unchecked")
    private static jdk.incubator.vector.VectorShuffle<Float>[] halves() {
        int steps = Integer.numberOfTrailingZeros(L);
        jdk.incubator.vector.VectorShuffle<Float>[] h = new jdk.incubator.vector.VectorShuffle[steps];
        for (int s = 0; s < steps; s++) {
            int d = L >> (s + 1);
            h[s] = jdk.incubator.vector.VectorShuffle.fromOp(S, i -> i ^ d);
        }
        return h;
    }

    /**
     * e^x per lane (Cody–Waite range reduction x = n·ln2 + r, a degree-6 polynomial for e^r — the
     * Cephes single-precision coefficients — and 2^n from the exponent bits); inputs are clamped to
     * [−87.3, 88.3] for the polynomial and the result set to 0 below and +∞ above; NaN stays NaN.
     */
    public static FloatVector exp(FloatVector input) {
        FloatVector x = input.max(-87.3f).min(88.3f);
        FloatVector shifted = x.mul(LOG2E).add(ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.mul(-LN2_HI).add(x);
        r = n.mul(-LN2_LO).add(r);
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n without a float-to-int conversion (C2 does not intrinsify that one here, so it boxed):
        // the low bits of n + 1.5·2^23 hold n in two's complement, and the shift drops the rest.
        jdk.incubator.vector.IntVector bits = shifted.reinterpretAsInts()
                .add(127).lanewise(VectorOperators.LSHL, 23);
        return e.mul(bits.reinterpretAsFloats())
                .blend(0f, input.compare(VectorOperators.LT, -87.3f))
                .blend(Float.POSITIVE_INFINITY, input.compare(VectorOperators.GT, 88.3f));
    }

    /** 1 / (1 + e^−x) per lane, deterministic (see {@link #exp}). */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        return one.div(exp(x.neg()).add(one));
    }

    /**
     * tanh per lane, deterministic: an odd polynomial below |x| = 0.625 (Cephes coefficients, keeps the
     * relative accuracy near 0), {@code 1 − 2/(e^{2|x|} + 1)} with the sign of x above.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector small = z.mul(-5.70498872745e-3f).add(2.06390887954e-2f);
        small = small.mul(z).add(-5.37397155531e-2f);
        small = small.mul(z).add(1.33314422036e-1f);
        small = small.mul(z).add(-3.33332819422e-1f);
        small = small.mul(z).mul(x).add(x);
        FloatVector big = FloatVector.broadcast(x.species(), 1f).sub(FloatVector.broadcast(x.species(), 2f)
                .div(exp(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return big.blend(small, a.compare(VectorOperators.LT, 0.625f)).blend(x, x.compare(VectorOperators.NE, x));
    }

    /** The sum of the lanes in a fixed pairwise order (reduceLanes(ADD) may sum in another order when compiled). */
    public static float sumLanes(FloatVector v) {
        for (jdk.incubator.vector.VectorShuffle<Float> h : HALVES) v = v.add(v.rearrange(h));
        return v.lane(0);
    }

    /** {@code y[i] = sigmoid(x[i])} for i in [0, n); x and y may be the same array. */
    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + j, m);
            sigmoid(v).intoArray(y, yOff + j, m);
        }
    }

    /** {@code y[i] = tanh(x[i])} for i in [0, n); x and y may be the same array. */
    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            tanh(FloatVector.fromArray(S, x, xOff + j, m)).intoArray(y, yOff + j, m);
        }
    }

    /** Scalar sigmoid in double precision, rounded once: the reference the vector versions are held to. */
    public static float sigmoidExact(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /** Scalar tanh in double precision, rounded once. */
    public static float tanhExact(float x) {
        return (float) Math.tanh(x);
    }
}
