package org.rnn4j.apps.forecast;

import java.util.Locale;

/**
 * How the forecast trainer changes the learning rate within a network's training.
 *
 * <ul>
 *   <li>{@link #CONSTANT}: the rate stays (only the divergence guard lowers it).</li>
 *   <li>{@link #PLATEAU}: halve the rate after every epoch whose validation loss is not the best so far.</li>
 *   <li>{@link #PLATEAU_RESTORE}: the same, and put the best weights back first (the next epoch starts from
 *       the best point with smaller steps instead of from where the last epoch wandered to).</li>
 *   <li>{@link #COSINE}: from the given rate down to 0 along half a cosine over {@code --epochs} epochs,
 *       updated every step.</li>
 * </ul>
 */
public enum LrSchedule {
    CONSTANT, PLATEAU, PLATEAU_RESTORE, COSINE;

    /** The flag spelling: constant, plateau, plateau-restore, cosine. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #flag()} spellings. */
    public static LrSchedule parse(String s) {
        for (LrSchedule v : values()) if (v.flag().equals(s)) return v;
        throw new IllegalArgumentException("lr schedule must be constant, plateau, plateau-restore or cosine, got '" + s + "'");
    }

    /** The cosine factor at {@code progress} in [0, 1] of the run: 1 at the start, 0 at the end. */
    static double cosine(double progress) {
        return 0.5 * (1 + Math.cos(Math.PI * Math.clamp(progress, 0.0, 1.0)));
    }
}
