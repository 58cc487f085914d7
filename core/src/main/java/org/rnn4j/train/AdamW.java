package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: before the Adam update the parameter is shrunk,
 * {@code p = p * (1 - lr * weightDecay)}, and the gradient is left alone. Otherwise identical to {@link Adam}
 * (same moments, bias corrections and eps placement). The shrink uses the current learning rate, so a schedule
 * scales the decay too. State: {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 */
public final class AdamW extends Optimizer {

    /**
     * AdamW hyper-parameters; {@link #defaults()} are PyTorch's (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay
     * 1e-2).
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        public Config {
            Check.nonNegative("lr", lr);
            Check.unitInterval("beta1", beta1);
            Check.unitInterval("beta2", beta2);
            Check.nonNegative("eps", eps);
            Check.nonNegative("weightDecay", weightDecay);
        }

        public static Config defaults() {
            return new Config(1e-3, 0.9, 0.999, 1e-8, 1e-2, false);
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

    public AdamW(Config config, Parameters params) {
        this(config, params.size());
    }

    public AdamW(Config config, int size) {
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
        return "adamw";
    }

    @Override
    void update(float[] values, float[] grads, long step) {
        double lr = learningRate();
        AdamMath.step(values, grads, m, v, vMax, lr, config.beta1(), config.beta2(), config.eps(), 0,
                1 - lr * config.weightDecay(), step);
    }
}
