package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised logistic sigmoid and hyperbolic tangent over float arrays.
 *
 * <p>Both are built on {@link VMath}'s exp and tanh, which use only exactly rounded operations so that
 * results do not depend on whether the JIT has compiled the code yet (the Vector API's lanewise
 * {@code EXP} and {@code TANH} do: C2 uses the JDK's vector math stubs, the interpreter {@code
 * Math.exp}, and a resumed training run would not replay bit for bit), with the formulas
 * <pre>
 *   sigmoid(x) = 1 / (1 + exp(−x))        tanh(x) = TANH(x)
 * </pre>
 * {@code 1/(1+exp(−x))} rather than {@code ½·tanh(x/2)+½} because it is both faster (division is
 * cheaper than tanh) and keeps its relative accuracy for very negative x, where the tanh form
 * cancels to 0.
 *
 * <p>Measured error against double precision (ActivationsTest sweeps x over [−30, 30] in steps of
 * 1e-4, plus ±88 and the float extremes, and asserts these bounds):
 * <ul>
 *   <li>sigmoid: absolute ≤ 1.2e-7, relative ≤ 2.5e-7 (measured 8.9e-8 and 1.5e-7);</li>
 *   <li>tanh: absolute ≤ 8e-8, relative ≤ 2.5e-7 (measured 7.1e-8 and 1.3e-7).</li>
 * </ul>
 * (The JDK's vector math stubs measured 3.0e-8 and 5.8e-8 for tanh, but give other bits than the
 * interpreter, which breaks bit-identical resume; see {@link VMath}.)
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

    /** {@code y[i] = sigmoid(x[i])} for i in [0, n); x and y may be the same array. */
    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + j, m);
            VMath.sigmoid(v).intoArray(y, yOff + j, m);
        }
    }

    /** {@code y[i] = tanh(x[i])} for i in [0, n); x and y may be the same array. */
    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            VMath.tanh(FloatVector.fromArray(S, x, xOff + j, m)).intoArray(y, yOff + j, m);
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
