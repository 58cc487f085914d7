package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, as
 * {@code torch.optim.SGD}.
 *
 * <p>Per element, with gradient g, parameter p and momentum buffer b:
 *
 * <pre>
 *   g = g + weightDecay * p                      (if weightDecay != 0)
 *   b = g                                        (first step: no dampening)
 *   b = momentum * b + (1 - dampening) * g       (later steps; only if momentum != 0)
 *   g = nesterov ? g + momentum * b : b          (only if momentum != 0)
 *   p = p - lr * g
 * </pre>
 *
 * State: {@code momentum_buffer} when momentum != 0.
 */
public final class Sgd extends Optimizer {

    /**
     * SGD hyper-parameters. PyTorch has no default learning rate for SGD; {@link #of(double)} gives the other
     * defaults (no momentum, no dampening, no weight decay, no Nesterov).
     */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Config {
            Check.nonNegative("lr", lr);
            Check.nonNegative("momentum", momentum);
            Check.nonNegative("dampening", dampening);
            Check.nonNegative("weightDecay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("nesterov requires momentum > 0 and dampening == 0, got momentum="
                        + momentum + ", dampening=" + dampening);
            }
        }

        public static Config of(double lr) {
            return new Config(lr, 0, 0, 0, false);
        }

        public Config withMomentum(double momentum) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        public Config withDampening(double dampening) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        public Config withWeightDecay(double weightDecay) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }

        public Config withNesterov(boolean nesterov) {
            return new Config(lr, momentum, dampening, weightDecay, nesterov);
        }
    }

    private final Config config;
    private final float[] buf; // [P] momentum buffer, null without momentum

    public Sgd(Config config, Parameters params) {
        this(config, params.size());
    }

    public Sgd(Config config, int size) {
        super(config.lr(), size);
        this.config = config;
        this.buf = config.momentum() != 0 ? addState("momentum_buffer", 0f) : null;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    void update(float[] values, float[] grads, long step) {
        // Scalars are rounded to float once, as PyTorch converts a Python float for a float32 kernel.
        float negLr = (float) -learningRate();
        float wd = (float) config.weightDecay();
        float mom = (float) config.momentum();
        float oneMinusDamp = (float) (1 - config.dampening());
        boolean decay = config.weightDecay() != 0;
        boolean first = step == 1;
        boolean nesterov = config.nesterov();
        int n = values.length;
        for (int i = 0; i < n; i++) {
            float p = values[i];
            float d = grads[i];
            if (decay) d = Math.fma(wd, p, d);
            if (buf != null) {
                float b = first ? d : Math.fma(oneMinusDamp, d, buf[i] * mom);
                buf[i] = b;
                d = nesterov ? Math.fma(mom, b, d) : b;
            }
            values[i] = Math.fma(negLr, d, p);
        }
    }
}
