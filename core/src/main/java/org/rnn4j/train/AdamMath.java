package org.rnn4j.train;

/** The element loop shared by {@link Adam} (L2 decay) and {@link AdamW} (decoupled decay). */
final class AdamMath {
    private AdamMath() {}

    /**
     * One Adam step over all elements.
     *
     * @param values [P] parameters, updated
     * @param grads [P] gradients, read only
     * @param m [P] exp_avg, updated
     * @param v [P] exp_avg_sq, updated
     * @param vMax [P] max_exp_avg_sq (amsgrad), updated; null without amsgrad
     * @param l2 L2 weight decay added to the gradient (Adam), 0 for none
     * @param shrink factor the parameter is multiplied by before the update (AdamW: 1 - lr * weightDecay), 1 for
     *     none
     * @param step 1-based step number for the bias corrections
     */
    static void step(float[] values, float[] grads, float[] m, float[] v, float[] vMax, double lr, double beta1,
            double beta2, double eps, double l2, double shrink, long step) {
        // Bias corrections and the step size in double, each rounded to float once, in PyTorch's order.
        double biasCorrection1 = 1 - StrictMath.pow(beta1, step);
        double biasCorrection2 = 1 - StrictMath.pow(beta2, step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float epsF = (float) eps;
        float l2F = (float) l2;
        float shrinkF = (float) shrink;
        boolean decay = l2 != 0;
        boolean decoupled = shrink != 1;
        int n = values.length;
        for (int i = 0; i < n; i++) {
            float p = values[i];
            float g = grads[i];
            if (decay) g = Math.fma(l2F, p, g);
            if (decoupled) p = p * shrinkF;
            float mi = Math.fma(oneMinusB1, g, m[i] * b1);
            // addcmul(g, g, value=1-beta2) is fma((1-beta2)*g, g, v*beta2) in PyTorch's CPU kernel.
            float vi = Math.fma(oneMinusB2 * g, g, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) {
                vi = Math.max(vMax[i], vi);
                vMax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + epsF;
            values[i] = p + (negStepSize * mi) / denom;
        }
    }
}
