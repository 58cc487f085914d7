package org.rnn4j.train;

/**
 * Cosine annealing from the base learning rate down to {@code etaMin} over {@code tMax} epochs, as {@code
 * CosineAnnealingLR} (without restarts):
 *
 * <pre>
 *   lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2
 * </pre>
 *
 * Past {@code tMax} the cosine keeps going, so the rate climbs back towards the base rate over the next {@code
 * tMax} epochs, exactly as PyTorch's scheduler does when stepped beyond {@code T_max}.
 */
public record CosineLr(int tMax, double etaMin) implements LrSchedule {
    public CosineLr {
        Check.positive("tMax", tMax);
        Check.nonNegative("etaMin", etaMin);
    }

    @Override
    public double lr(int epoch, double baseLr) {
        LrSchedule.requireEpoch(epoch);
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
