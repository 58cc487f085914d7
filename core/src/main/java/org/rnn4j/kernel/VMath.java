package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, sigmoid and tanh on float vectors, built only from operations that IEEE 754 rounds exactly
 * (add, multiply, fused multiply-add, divide, min/max, compares, integer shifts) so that the result is
 * the same bit for bit whether the JVM runs the code interpreted, compiled by C1, or compiled by C2.
 *
 * <p>Why not the Vector API's lanewise {@code EXP} and {@code TANH}: C2 compiles those to the JDK's
 * vector math stubs, while the interpreter and C1 compute them lane by lane with {@code Math.exp} /
 * {@code Math.tanh}; the two differ in the last bit. A method's results then change when the JIT
 * compiles it, so a training run is not reproducible: a run resumed from a checkpoint (a fresh JVM,
 * warming up again) drifts away from the run that was never interrupted. See docs/reliability.md.
 *
 * <p>Algorithms (Cephes' single-precision ones, evaluated with FMA):
 * <pre>
 *   exp(x):  n = round(x / ln 2), r = x − n·ln 2 (two-part ln 2, |r| ≤ ln2/2),
 *            exp(r) = 1 + r + r²·P(r) (degree-5 P), times 2^n as two exact powers of two
 *   sigmoid(x) = 1 / (1 + exp(−x))
 *   tanh(x): |x| < 0.625: x + x·z·Q(z), z = x² (degree-4 Q); else sign(x)·(1 − 2/(exp(2|x|) + 1))
 * </pre>
 * Accuracy (ActivationsTest): within the bounds documented in {@link Activations}. NaN stays NaN;
 * exp(+∞) = +∞, exp(−∞) = 0; tanh(±∞) = ±1.
 */
final class VMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2^23: adding and subtracting it rounds a float of magnitude < 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    /** Above this exp overflows; below the lower clamp it is 0 after rounding. */
    private static final float EXP_HI = 88.72283935546875f;
    private static final float EXP_LO = -104f;

    private VMath() {}

    static FloatVector exp(FloatVector x) {
        // min/max keep NaN (Math.min/max semantics), so NaN flows through to the result.
        var sp = x.species();
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector n = xc.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(sp, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(sp, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(sp, 1.9875691500e-4f), FloatVector.broadcast(sp, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(sp, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(sp, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(sp, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(sp, 5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n = 2^(n>>1) · 2^(n − (n>>1)): both factors are normal floats for n in [−150, 128].
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector y = p.mul(s1).mul(s2);
        VectorMask<Float> over = x.compare(VectorOperators.GT, EXP_HI);
        return y.blend(Float.POSITIVE_INFINITY, over);
    }

    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(x.species(), 1f).div(exp(x.neg()).add(1f));
    }

    static FloatVector tanh(FloatVector x) {
        var sp = x.species();
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector q = z.fma(FloatVector.broadcast(sp, -5.70498872745e-3f), FloatVector.broadcast(sp, 2.06390887954e-2f));
        q = q.fma(z, FloatVector.broadcast(sp, -5.37397155531e-2f));
        q = q.fma(z, FloatVector.broadcast(sp, 1.33314422036e-1f));
        q = q.fma(z, FloatVector.broadcast(sp, -3.33332819422e-1f));
        FloatVector small = x.mul(z).fma(q, x);
        FloatVector e = exp(a.add(a));
        FloatVector large = FloatVector.broadcast(sp, 1f).sub(FloatVector.broadcast(sp, 2f).div(e.add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, a.compare(VectorOperators.LT, 0.625f));
    }
}
