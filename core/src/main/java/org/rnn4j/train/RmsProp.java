package org.rnn4j.train;

import org.rnn4j.nn.Parameters;

/**
 * RMSprop with optional momentum, centering and L2 weight decay, as {@code torch.optim.RMSprop}.
 *
 * <p>Per element with gradient g and parameter p:
 *
 * <pre>
 *   g = g + weightDecay * p                          (if weightDecay != 0)
 *   s = alpha * s + (1 - alpha) * g * g
 *   a = alpha * a + (1 - alpha) * g                  (centered)
 *   avg = sqrt(s - a * a) + eps   (centered)   or   sqrt(s) + eps
 *   b = momentum * b + g / avg;  p = p - lr * b      (momentum > 0)
 *   p = p - lr * g / avg                             (otherwise)
 * </pre>
 *
 * There is no bias correction, and eps is added outside the square root. State: {@code square_avg}, {@code
 * momentum_buffer} when momentum > 0, {@code grad_avg} when centered.
 */
public final class RmsProp extends Optimizer {

    /** RMSprop hyper-parameters; {@link #defaults()} are PyTorch's (lr 1e-2, alpha 0.99, eps 1e-8). */
    public record Config(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        public Config {
            Check.nonNegative("lr", lr);
            Check.nonNegative("alpha", alpha);
            Check.nonNegative("eps", eps);
            Check.nonNegative("weightDecay", weightDecay);
            Check.nonNegative("momentum", momentum);
        }

        public static Config defaults() {
            return new Config(1e-2, 0.99, 1e-8, 0, 0, false);
        }

        public Config withLr(double lr) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Config withAlpha(double alpha) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Config withEps(double eps) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Config withWeightDecay(double weightDecay) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Config withMomentum(double momentum) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Config withCentered(boolean centered) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }
    }

    private final Config config;
    private final float[] square; // [P] square_avg
    private final float[] buf; // [P] momentum_buffer, null without momentum
    private final float[] gradAvg; // [P] grad_avg, null unless centered

    public RmsProp(Config config, Parameters params) {
        this(config, params.size());
    }

    public RmsProp(Config config, int size) {
        super(config.lr(), size);
        this.config = config;
        this.square = addState("square_avg", 0f);
        this.buf = config.momentum() > 0 ? addState("momentum_buffer", 0f) : null;
        this.gradAvg = config.centered() ? addState("grad_avg", 0f) : null;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    void update(float[] values, float[] grads, long step) {
        float negLr = (float) -learningRate();
        float alpha = (float) config.alpha();
        float oneMinusAlpha = (float) (1 - config.alpha());
        float eps = (float) config.eps();
        float wd = (float) config.weightDecay();
        float mom = (float) config.momentum();
        boolean decay = config.weightDecay() != 0;
        int n = values.length;
        for (int i = 0; i < n; i++) {
            float p = values[i];
            float g = grads[i];
            if (decay) g = Math.fma(wd, p, g);
            float s = Math.fma(oneMinusAlpha * g, g, square[i] * alpha);
            square[i] = s;
            float avg;
            if (gradAvg != null) {
                float a = Math.fma(oneMinusAlpha, g, gradAvg[i] * alpha);
                gradAvg[i] = a;
                avg = (float) Math.sqrt(Math.fma(-a, a, s));
            } else {
                avg = (float) Math.sqrt(s);
            }
            avg += eps;
            if (buf != null) {
                float b = buf[i] * mom + g / avg;
                buf[i] = b;
                values[i] = Math.fma(negLr, b, p);
            } else {
                values[i] = p + (negLr * g) / avg;
            }
        }
    }
}
