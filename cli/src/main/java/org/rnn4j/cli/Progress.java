package org.rnn4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (me.tongfei:progressbar) with a free-text suffix for loss, speed and the
 * like. Quiet mode and non-terminal output (CI logs) get nothing but the caller's own summary lines.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code total} units; {@code enabled=false} makes every call a no-op. */
    public static Progress start(String task, long total, String unit, boolean enabled) {
        if (!enabled || System.console() == null) return new Progress(null);
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setMaxRenderedLength(120).build();
        return new Progress(bar);
    }

    public void stepTo(long n, String extra) {
        if (bar == null) return;
        bar.stepTo(n);
        bar.setExtraMessage(extra);
    }

    public void maxHint(long total) {
        if (bar != null) bar.maxHint(total);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }

    /** "1m 05s" style. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh %02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm %02ds", s / 60, s % 60) : s + "s";
    }
}
