package org.rnn4j.train;

import java.util.function.Consumer;
import org.rnn4j.nn.Parameters;

/**
 * Watches every training step for a loss or gradient that has become NaN or infinite, and keeps
 * such a step from touching the model.
 *
 * <p>Policy, per step (call {@link #admit} after the backward pass, before clipping and the
 * optimizer step):
 *
 * <ul>
 *   <li>loss and global gradient norm finite: the update may go ahead; the run of failures resets;
 *   <li>otherwise the update is skipped, the learning rate is multiplied by {@link Config#lrFactor()}
 *       (default 0.5), and one line is reported naming the step and what was not finite;
 *   <li>after {@link Config#maxConsecutive()} (default 5) skipped steps in a row, a {@link
 *       DivergenceException} stops training, naming the first and last failing steps.
 * </ul>
 *
 * <p>{@link #checkParameters} after the optimizer step catches the rarer case of finite gradients
 * whose update overflows (a huge learning rate): it throws at once, before any checkpoint or model
 * file can be written from the damaged values.
 *
 * <p>The counters and the cumulative learning-rate scale ({@link #lrScale()}, for loops whose
 * schedule sets the rate itself: {@code opt.setLearningRate(schedule.lr(epoch) * guard.lrScale())})
 * go into checkpoints with {@link #save} and {@link #restore}.
 */
public final class DivergenceGuard {

    /**
     * @param lrFactor       multiply the learning rate by this after a skipped step, in (0, 1]
     * @param maxConsecutive stop after this many skipped steps in a row, >= 1
     */
    public record Config(double lrFactor, int maxConsecutive) {
        public Config {
            if (!(lrFactor > 0 && lrFactor <= 1)) throw new IllegalArgumentException("lrFactor must be in (0, 1], got " + lrFactor);
            if (maxConsecutive < 1) throw new IllegalArgumentException("maxConsecutive must be >= 1, got " + maxConsecutive);
        }

        public static Config defaults() {
            return new Config(0.5, 5);
        }
    }

    private final Config config;
    private final Consumer<String> report;
    private int consecutive;
    private long firstFailingStep = -1;
    private long skipped;
    private double lrScale = 1;

    /** @param report receives one line per skipped step; null to stay silent */
    public DivergenceGuard(Config config, Consumer<String> report) {
        this.config = config;
        this.report = report == null ? s -> { } : report;
    }

    /**
     * Decides whether the update of {@code step} may be applied.
     *
     * @param step     1-based number of the step, for messages
     * @param loss     the step's loss
     * @param gradNorm the global L2 norm of the gradients (before clipping; {@link GradClip#clipNorm}
     *                 and {@link GradClip#norm} return it)
     * @param opt      its learning rate is lowered when the step is skipped
     * @return true to apply the update, false to skip it
     * @throws DivergenceException after too many consecutive skipped steps
     */
    public boolean admit(long step, double loss, double gradNorm, Optimizer opt) {
        if (Double.isFinite(loss) && Double.isFinite(gradNorm)) {
            consecutive = 0;
            firstFailingStep = -1;
            return true;
        }
        String what = !Double.isFinite(loss) ? "loss is " + loss + (Double.isFinite(gradNorm) ? "" : " and gradient norm is " + gradNorm)
                : "gradient norm is " + gradNorm + " (loss " + loss + ")";
        consecutive++;
        skipped++;
        if (firstFailingStep < 0) firstFailingStep = step;
        if (consecutive >= config.maxConsecutive()) {
            throw new DivergenceException(step, "training diverged: the " + what + " at step " + step + ", the "
                    + ordinal(consecutive) + " non-finite step in a row (since step " + firstFailingStep
                    + ") even after lowering the learning rate to " + fmt(opt.learningRate())
                    + "; the parameters were not changed by those steps and nothing non-finite was saved."
                    + " Try a smaller --lr or --clip-norm");
        }
        double lowered = opt.learningRate() * config.lrFactor();
        opt.setLearningRate(lowered);
        lrScale *= config.lrFactor();
        report.accept("step " + step + ": " + what + "; skipped this update and lowered the learning rate to " + fmt(lowered)
                + " (" + consecutive + " of " + config.maxConsecutive() + " allowed in a row)");
        return false;
    }

    /**
     * After an update: every parameter must still be finite.
     *
     * @throws DivergenceException naming the parameter and step if one is not
     */
    public void checkParameters(long step, Parameters params) {
        float[] v = params.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                String name = "?";
                for (Parameters.Param p : params.list()) {
                    if (i >= p.offset() && i < p.offset() + p.size()) name = p.name();
                }
                throw new DivergenceException(step, "training diverged: the update of step " + step + " made parameter "
                        + name + " " + v[i] + " (the gradients were finite, the step overflowed); nothing non-finite was"
                        + " saved. Try a smaller --lr or --clip-norm");
            }
        }
    }

    /** Skipped steps in a row so far. */
    public int consecutive() {
        return consecutive;
    }

    /** Skipped steps in the whole run. */
    public long skipped() {
        return skipped;
    }

    /** The product of all learning-rate cuts so far (1 when none). */
    public double lrScale() {
        return lrScale;
    }

    /** Stores the counters under {@code guard.*}. */
    public void save(Checkpoint ck) {
        ck.putLong("guard.consecutive", consecutive).putLong("guard.firstFailingStep", firstFailingStep)
                .putLong("guard.skipped", skipped).putDouble("guard.lrScale", lrScale);
    }

    public void restore(Checkpoint ck) {
        consecutive = ck.getInt("guard.consecutive");
        firstFailingStep = ck.getLong("guard.firstFailingStep");
        skipped = ck.getLong("guard.skipped");
        lrScale = ck.getDouble("guard.lrScale");
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    private static String fmt(double lr) {
        return String.format(java.util.Locale.ROOT, "%.6g", lr);
    }
}
