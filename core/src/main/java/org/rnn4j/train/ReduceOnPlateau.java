package org.rnn4j.train;

/**
 * Cuts the learning rate when a monitored loss stops improving, as {@code torch.optim.lr_scheduler
 * .ReduceLROnPlateau(mode="min", threshold_mode="rel")}.
 *
 * <p>On each {@link #step(double, double)} with metric m:
 *
 * <ul>
 *   <li>m is an improvement if {@code m < best * (1 - threshold)}; then {@code best = m} and the bad-epoch count
 *       resets, otherwise it grows by one. NaN is never an improvement.
 *   <li>during a cooldown the bad-epoch count is held at 0.
 *   <li>when the count exceeds {@code patience}: {@code lr = max(lr * factor, minLr)}, applied only if it lowers
 *       the rate by more than {@code eps}; then the cooldown starts and the count resets.
 * </ul>
 *
 * The state ({@link State}) is small and can be saved in a checkpoint. Not thread-safe.
 */
public final class ReduceOnPlateau {

    /**
     * Hyper-parameters; {@link #defaults()} are PyTorch's (factor 0.1, patience 10, threshold 1e-4, minLr 0,
     * cooldown 0, eps 1e-8).
     */
    public record Config(double factor, int patience, double threshold, double minLr, int cooldown, double eps) {
        public Config {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
            }
            Check.nonNegative("patience", patience);
            Check.nonNegative("threshold", threshold);
            Check.nonNegative("minLr", minLr);
            Check.nonNegative("cooldown", cooldown);
            Check.nonNegative("eps", eps);
        }

        public static Config defaults() {
            return new Config(0.1, 10, 1e-4, 0, 0, 1e-8);
        }

        /** The four knobs most callers set; cooldown 0 and eps 1e-8 as in PyTorch. */
        public static Config of(double factor, int patience, double threshold, double minLr) {
            return new Config(factor, patience, threshold, minLr, 0, 1e-8);
        }
    }

    /**
     * Everything needed to resume: the best metric so far ({@code +Infinity} before the first step), the current
     * bad-epoch count, the remaining cooldown and the number of steps taken.
     */
    public record State(double best, int numBadEpochs, int cooldownCounter, int lastEpoch) {}

    private final Config config;
    private double best = Double.POSITIVE_INFINITY;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    public ReduceOnPlateau(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /**
     * Records one epoch's metric.
     *
     * @param metric the monitored value (lower is better), e.g. the validation loss
     * @param lr the current learning rate
     * @return the learning rate to use from now on ({@code lr} itself unless it was cut)
     */
    public double step(double metric, double lr) {
        lastEpoch++;
        if (metric < best * (1 - config.threshold())) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs during a cooldown do not count
        }
        if (numBadEpochs > config.patience()) {
            double cut = Math.max(lr * config.factor(), config.minLr());
            if (lr - cut > config.eps()) lr = cut;
            cooldownCounter = config.cooldown();
            numBadEpochs = 0;
        }
        return lr;
    }

    /**
     * Records one epoch's metric and sets the optimizer's learning rate accordingly.
     *
     * @return true if the learning rate was lowered
     */
    public boolean step(double metric, Optimizer optimizer) {
        double before = optimizer.learningRate();
        double after = step(metric, before);
        if (after != before) optimizer.setLearningRate(after);
        return after != before;
    }

    /** The best metric so far, {@code +Infinity} before any step. */
    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    public State state() {
        return new State(best, numBadEpochs, cooldownCounter, lastEpoch);
    }

    public void loadState(State s) {
        Check.nonNegative("numBadEpochs", s.numBadEpochs());
        Check.nonNegative("cooldownCounter", s.cooldownCounter());
        Check.nonNegative("lastEpoch", s.lastEpoch());
        this.best = s.best();
        this.numBadEpochs = s.numBadEpochs();
        this.cooldownCounter = s.cooldownCounter();
        this.lastEpoch = s.lastEpoch();
    }
}
