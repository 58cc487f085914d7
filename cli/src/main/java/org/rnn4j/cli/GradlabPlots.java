package org.rnn4j.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rnn4j.apps.gradlab.GradlabTask;
import org.rnn4j.apps.gradlab.LabReport;
import org.rnn4j.apps.gradlab.RunResult;

/**
 * The gradlab pictures: gradient flow, training curves, gradient norms. Every line of one run has
 * the run's colour (solid for the main measurement, dashed for the secondary one), so a reader can
 * pair the lines without the legend.
 */
final class GradlabPlots {
    private static final Color[] RUN_COLORS = {new Color(31, 119, 180), new Color(230, 110, 0), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};
    private static final Color BASELINE = new Color(90, 90, 90);
    /** Losses above this many baselines are left off the training chart. */
    private static final double OFF_CHART = 100;

    private GradlabPlots() {}

    /**
     * log ‖dL/dh_t‖ against the distance back in time from the loss (S − 1 − t): solid after training
     * (none for a diverged run), dashed at initialisation (one line per distinct initial model).
     */
    static void gradientFlow(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Lines lines = new Lines();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            // a diverged run has no trained model to measure: its last finite weights are the ones that blew up
            if (!r.diverged()) lines.add(r.spec().name() + " trained (step " + r.steps() + ")", backInTime(r.flowFinal().hiddenNorms(), false), color(i));
        }
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            // runs of the same cell and initial radius start from the same weights: one init line for them
            if (drawn.add(r.spec().cell() + "/" + r.spec().spectralRadius())) {
                String name = r.spec().spectralRadius() > 0 ? r.spec().cell().cliName() + " at init (radius " + r.spec().spectralRadius() + ")"
                        : r.spec().name() + " at init";
                lines.add(name, backInTime(r.flowInit().hiddenNorms(), true), color(i));
            }
        }
        lines.save(new Plots.Chart("Gradient flow: " + t.name() + ", T = " + t.length()
                + " — ||dL/dh_t|| with the loss at the last step", "steps back in time from the loss", "||dL/dh_t|| (log)").logY(true), png);
    }

    /** Test loss per run (solid), training loss window means (dashed), and the baseline. */
    static void training(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Lines lines = new Lines();
        long maxStep = 1;
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            maxStep = Math.max(maxStep, r.steps());
            double[] x = new double[r.evalSteps().length];
            for (int k = 0; k < x.length; k++) x[k] = r.evalSteps()[k];
            double[] y = r.evalLoss().clone();
            String name = r.spec().name() + " test" + capped(y, OFF_CHART * t.baseline(), r.evalSteps());
            lines.add(name, new Plots.Line(x, y, false), color(i));
        }
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            LabReport.Curve curve = LabReport.Curve.windowMeans(r.trainLoss(), 300);
            double[] y = curve.values().clone();
            capped(y, OFF_CHART * t.baseline(), curve.steps());
            lines.add(r.spec().name() + " train", new Plots.Line(toDoubles(curve.steps()), y, true), color(i));
        }
        lines.add("baseline (no memory) " + String.format(Locale.ROOT, "%.4f", t.baseline()),
                new Plots.Line(new double[] {0, maxStep}, new double[] {t.baseline(), t.baseline()}, true), BASELINE);
        lines.save(new Plots.Chart("Training: " + t.name() + ", T = " + t.length() + " (" + t.lossName() + ")", "step",
                t.lossName() + " (log)").logY(true), png);
    }

    /** The global gradient norm (before clipping) per step, window means. */
    static void gradNorms(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Lines lines = new Lines();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            LabReport.Curve curve = LabReport.Curve.windowMeans(r.gradNorm(), 300);
            String name = r.spec().name() + (r.diverged() ? " (diverged at step " + r.divergedAtStep() + ")" : "");
            lines.add(name, new Plots.Line(toDoubles(curve.steps()), curve.values(), false), color(i));
        }
        lines.save(new Plots.Chart("Gradient norm before clipping: " + t.name() + ", T = " + t.length(), "step",
                "||dL/dθ|| (log)").logY(true), png);
    }

    /**
     * Drops the values above {@code cap} (a diverging run's loss climbs to 1e39 and would flatten every
     * other curve) and says so in the legend: "" when nothing was dropped.
     */
    private static String capped(double[] y, double cap, long[] steps) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] > cap || y[i] == Double.POSITIVE_INFINITY) {
                String note = String.format(Locale.ROOT, " (off the chart from step %d: %.3g)", steps[i], y[i]);
                for (int j = i; j < y.length; j++) y[j] = Double.NaN;
                return note;
            }
        }
        return "";
    }

    private static Color color(int run) {
        return RUN_COLORS[run % RUN_COLORS.length];
    }

    private static Plots.Line backInTime(double[] norms, boolean faint) {
        int s = norms.length;
        double[] x = new double[s], y = new double[s];
        for (int k = 0; k < s; k++) {
            x[k] = k;
            y[k] = norms[s - 1 - k];
        }
        return new Plots.Line(x, y, faint);
    }

    private static double[] toDoubles(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Lines with their colours; values that cannot go on a log axis (≤ 0, NaN, ∞) are dropped. */
    private static final class Lines {
        private final List<String> names = new ArrayList<>();
        private final List<Plots.Line> lines = new ArrayList<>();
        private final List<Color> colors = new ArrayList<>();

        void add(String name, Plots.Line line, Color color) {
            double[] y = line.y().clone();
            boolean any = false;
            for (int i = 0; i < y.length; i++) {
                if (!(Double.isFinite(y[i]) && y[i] > 0)) y[i] = Double.NaN;
                else any = true;
            }
            if (!any) return; // nothing to draw (e.g. a run that diverged at its first step)
            names.add(name);
            lines.add(new Plots.Line(line.x(), y, line.faint()));
            colors.add(color);
        }

        void save(Plots.Chart chart, Path png) throws IOException {
            for (int i = 0; i < names.size(); i++) chart.line(names.get(i), lines.get(i));
            chart.palette(colors.toArray(new Color[0])).save(png);
        }
    }
}
