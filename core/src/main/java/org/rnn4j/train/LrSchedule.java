package org.rnn4j.train;

/**
 * A learning rate as a function of the epoch (or step) count, in the closed forms of {@code
 * torch.optim.lr_scheduler}.
 *
 * <p>{@code epoch} is PyTorch's {@code last_epoch}: 0 before the first {@code scheduler.step()}, k after k calls.
 * A trainer applies it with {@code optimizer.setLearningRate(schedule.lr(epoch, baseLr))}. Implementations are
 * stateless, so resuming at epoch k needs nothing but k. For the metric-driven schedule see {@link
 * ReduceOnPlateau}.
 */
@FunctionalInterface
public interface LrSchedule {

    /**
     * @param epoch completed scheduler steps, >= 0
     * @param baseLr the initial learning rate
     */
    double lr(int epoch, double baseLr);

    /** The learning rate never changes. */
    static LrSchedule constant() {
        return (epoch, baseLr) -> {
            requireEpoch(epoch);
            return baseLr;
        };
    }

    /** Checks an epoch argument. */
    static void requireEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
}
