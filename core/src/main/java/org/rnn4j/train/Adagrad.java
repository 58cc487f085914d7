package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/**
 * Adagrad with learning-rate decay and L2 weight decay, as {@code torch.optim.Adagrad} (dense gradients).
 *
 * <p>At step t (1-based), per element with gradient g and parameter p:
 *
 * <pre>
 *   g = g + weightDecay * p                          (if weightDecay != 0)
 *   clr = lr / (1 + (t - 1) * lrDecay)
 *   s = s + g * g                                    (s starts at initialAccumulatorValue)
 *   p = p - clr * g / (sqrt(s) + eps)
 * </pre>
 *
 * State: {@code sum}.
 */
public final class Adagrad extends Optimizer {

    /**
     * Adagrad hyper-parameters; {@link #defaults()} are PyTorch's (lr 1e-2, no decay, accumulator 0, eps 1e-10).
     */
    public record Config(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        public Config {
            Check.nonNegative("lr", lr);
            Check.nonNegative("lrDecay", lrDecay);
            Check.nonNegative("weightDecay", weightDecay);
            Check.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            Check.nonNegative("eps", eps);
        }

        public static Config defaults() {
            return new Config(1e-2, 0, 0, 0, 1e-10);
        }

        public Config withLr(double lr) {
            return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Config withLrDecay(double lrDecay) {
            return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Config withWeightDecay(double weightDecay) {
            return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Config withInitialAccumulatorValue(double initialAccumulatorValue) {
            return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Config withEps(double eps) {
            return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }
    }

    private final Config config;
    private final float[] sum; // [P] sum of squared gradients

    public Adagrad(Config config, Parameters params) {
        this(config, params.size());
    }

    public Adagrad(Config config, int size) {
        super(config.lr(), size);
        this.config = config;
        this.sum = addState("sum", (float) config.initialAccumulatorValue());
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    void update(float[] values, float[] grads, long step) {
        float negClr = (float) -(learningRate() / (1 + (step - 1) * config.lrDecay()));
        float eps = (float) config.eps();
        float wd = (float) config.weightDecay();
        boolean decay = config.weightDecay() != 0;
        int n = values.length;
        for (int i = 0; i < n; i++) {
            float p = values[i];
            float g = grads[i];
            if (decay) g = Math.fma(wd, p, g);
            float s = Math.fma(g, g, sum[i]);
            sum[i] = s;
            float std = (float) Math.sqrt(s) + eps;
            values[i] = p + (negClr * g) / std;
        }
    }
}
