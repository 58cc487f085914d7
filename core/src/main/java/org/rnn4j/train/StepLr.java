package org.rnn4j.train;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} epochs, as {@code StepLR}:
 * {@code lr = baseLr * gamma^floor(epoch / stepSize)}.
 */
public record StepLr(int stepSize, double gamma) implements LrSchedule {
    public StepLr {
        Check.positive("stepSize", stepSize);
        Check.positive("gamma", gamma);
    }

    @Override
    public double lr(int epoch, double baseLr) {
        LrSchedule.requireEpoch(epoch);
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }
}
