package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/**
 * Adam with optional L2 weight decay (added to the gradient) and AMSGrad, as {@code torch.optim.Adam}.
 *
 * <p>At step t (1-based), per element with gradient g and parameter p:
 *
 * <pre>
 *   g = g + weightDecay * p                          (if weightDecay != 0)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   vMax = max(vMax, v)                              (amsgrad; then vMax replaces v below)
 *   denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 *   p = p - (lr / (1 - beta1^t)) * m / denom
 * </pre>
 *
 * Note that eps is added after the bias correction of v, as PyTorch does. State: {@code exp_avg}, {@code
 * exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 */
public final class Adam extends Optimizer {

    /** Adam hyper-parameters; {@link #defaults()} are PyTorch's (lr 1e-3, betas 0.9/0.999, eps 1e-8). */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        public Config {
            Check.nonNegative("lr", lr);
            Check.unitInterval("beta1", beta1);
            Check.unitInterval("beta2", beta2);
            Check.nonNegative("eps", eps);
            Check.nonNegative("weightDecay", weightDecay);
        }

        public static Config defaults() {
            return new Config(1e-3, 0.9, 0.999, 1e-8, 0, false);
        }

        public Config withLr(double lr) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Config withBetas(double beta1, double beta2) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Config withEps(double eps) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Config withWeightDecay(double weightDecay) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Config withAmsgrad(boolean amsgrad) {
            return new Config(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }
    }

    private final Config config;
    private final float[] m; // [P] exp_avg
    private final float[] v; // [P] exp_avg_sq
    private final float[] vMax; // [P] max_exp_avg_sq, null without amsgrad

    public Adam(Config config, Parameters params) {
        this(config, params.size());
    }

    public Adam(Config config, int size) {
        super(config.lr(), size);
        this.config = config;
        this.m = addState("exp_avg", 0f);
        this.v = addState("exp_avg_sq", 0f);
        this.vMax = config.amsgrad() ? addState("max_exp_avg_sq", 0f) : null;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    void update(float[] values, float[] grads, long step) {
        AdamMath.step(values, grads, m, v, vMax, learningRate(), config.beta1(), config.beta2(), config.eps(),
                config.weightDecay(), 1.0, step);
    }
}
