package org.rnn4j.train;

/** Decays the learning rate by {@code gamma} every epoch, as {@code ExponentialLR}: {@code baseLr * gamma^epoch}. */
public record ExponentialLr(double gamma) implements LrSchedule {
    public ExponentialLr {
        Check.positive("gamma", gamma);
    }

    @Override
    public double lr(int epoch, double baseLr) {
        LrSchedule.requireEpoch(epoch);
        return baseLr * Math.pow(gamma, epoch);
    }
}
