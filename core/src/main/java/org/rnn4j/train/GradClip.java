package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/** Gradient clipping over all of a model's gradients at once, as {@code torch.nn.utils.clip_grad_*_}. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}, as {@code
     * clip_grad_norm_(params, maxNorm, norm_type=2)}: with {@code coef = maxNorm / (norm + 1e-6)}, the gradients
     * are multiplied by {@code coef} when {@code coef < 1} and left alone otherwise.
     *
     * <p>The norm is accumulated in double (PyTorch uses float32, so the returned norm may differ from
     * PyTorch's in the 7th digit). When the norm is not finite (a NaN or infinite gradient) the gradients are left
     * untouched and the norm is returned, so the caller can decide to skip the step; PyTorch would instead multiply
     * every gradient by NaN or 0.
     *
     * @return the total norm before clipping
     */
    public static double clipNorm(Parameters params, double maxNorm) {
        Check.positive("maxNorm", maxNorm);
        float[] g = params.grads();
        double total = norm(params);
        if (!Double.isFinite(total)) return total;
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (int i = 0; i < g.length; i++) g[i] *= c;
        }
        return total;
    }

    /** The global L2 norm of all gradients, accumulated in double. */
    public static double norm(Parameters params) {
        float[] g = params.grads();
        double sum = 0;
        for (float x : g) sum += (double) x * x;
        return Math.sqrt(sum);
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}, as {@code clip_grad_value_}. NaN
     * gradients stay NaN.
     */
    public static void clipValue(Parameters params, double clipValue) {
        Check.positive("clipValue", clipValue);
        float hi = (float) clipValue;
        float lo = -hi;
        float[] g = params.grads();
        for (int i = 0; i < g.length; i++) g[i] = Math.max(lo, Math.min(hi, g[i]));
    }
}
