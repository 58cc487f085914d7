package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.apps.gradlab.GradlabTask;
import org.rnn4j.apps.gradlab.LabReport;
import org.rnn4j.apps.gradlab.RunResult;

/** The gradlab pictures: gradient flow, training curves, gradient norms. */
final class GradlabPlots {
    private GradlabPlots() {}

    /**
     * log ‖dL/dh_t‖ against the distance back in time from the loss (S − 1 − t), one line per run
     * after training (none for a diverged run) and a faint one per distinct initial model.
     */
    static void gradientFlow(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Plots.Chart c = new Plots.Chart("Gradient flow: " + t.name() + ", T = " + t.length()
                + " — ||dL/dh_t|| with the loss at the last step", "steps back in time from the loss", "||dL/dh_t|| (log)").logY(true);
        for (RunResult r : runs) {
            // a diverged run has no trained model to measure: its last finite weights are the ones that blew up
            if (!r.diverged()) add(c, r.spec().name() + " trained (step " + r.steps() + ")", backInTime(r.flowFinal().hiddenNorms()), false);
        }
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (RunResult r : runs) {
            // runs of the same cell and initial radius start from the same weights: one init line for them
            if (drawn.add(r.spec().cell() + "/" + r.spec().spectralRadius())) {
                String name = r.spec().spectralRadius() > 0 ? r.spec().cell().cliName() + " at init (radius " + r.spec().spectralRadius() + ")"
                        : r.spec().name() + " at init";
                add(c, name, backInTime(r.flowInit().hiddenNorms()), true);
            }
        }
        c.save(png);
    }

    /** Test loss per run (solid), training loss window means (faint), and the baseline. */
    static void training(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Plots.Chart c = new Plots.Chart("Training: " + t.name() + ", T = " + t.length() + " (" + t.lossName() + ")",
                "step", t.lossName() + " (log)").logY(true);
        long maxStep = 1;
        for (RunResult r : runs) {
            maxStep = Math.max(maxStep, r.steps());
            double[] x = new double[r.evalSteps().length];
            for (int i = 0; i < x.length; i++) x[i] = r.evalSteps()[i];
            add(c, r.spec().name() + " test", new Plots.Line(x, r.evalLoss().clone(), false));
        }
        for (RunResult r : runs) {
            LabReport.Curve curve = LabReport.Curve.windowMeans(r.trainLoss(), 300);
            add(c, r.spec().name() + " train", new Plots.Line(toDoubles(curve.steps()), curve.values(), true));
        }
        add(c, "baseline (no memory) " + String.format(java.util.Locale.ROOT, "%.4f", t.baseline()),
                new Plots.Line(new double[] {0, maxStep}, new double[] {t.baseline(), t.baseline()}, true));
        c.save(png);
    }

    /** The global gradient norm (before clipping) per step, window means. */
    static void gradNorms(Path png, GradlabTask t, List<RunResult> runs) throws IOException {
        Plots.Chart c = new Plots.Chart("Gradient norm before clipping: " + t.name() + ", T = " + t.length(), "step",
                "||dL/dθ|| (log)").logY(true);
        for (RunResult r : runs) {
            LabReport.Curve curve = LabReport.Curve.windowMeans(r.gradNorm(), 300);
            String name = r.spec().name() + (r.diverged() ? " (diverged at step " + r.divergedAtStep() + ")" : "");
            add(c, name, new Plots.Line(toDoubles(curve.steps()), curve.values(), false));
        }
        c.save(png);
    }

    private static Plots.Line backInTime(double[] norms) {
        int s = norms.length;
        double[] x = new double[s], y = new double[s];
        for (int k = 0; k < s; k++) {
            x[k] = k;
            y[k] = norms[s - 1 - k];
        }
        return new Plots.Line(x, y, false);
    }

    private static void add(Plots.Chart c, String name, Plots.Line line, boolean faint) {
        add(c, name, new Plots.Line(line.x(), line.y(), faint));
    }

    /** Adds a line with its non-finite and non-positive values dropped; skips a line with none left. */
    private static void add(Plots.Chart c, String name, Plots.Line line) {
        double[] y = line.y().clone();
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
            if (!(Double.isFinite(y[i]) && y[i] > 0)) y[i] = Double.NaN;
            else any = true;
        }
        if (any) c.line(name, new Plots.Line(line.x(), y, line.faint()));
    }

    private static double[] toDoubles(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
