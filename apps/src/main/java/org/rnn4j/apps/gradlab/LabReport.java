package org.rnn4j.apps.gradlab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report.json document of a gradlab experiment, as plain maps and lists for {@link
 * org.rnn4j.io.Json}. Scripts read these names; keep them stable:
 *
 * <pre>
 * task, length, baseline, mode, settings,
 * cells: { &lt;run name&gt;: { test_loss, beat_baseline, steps, grad_norm_init[S], grad_norm_final[S], ... } }
 * </pre>
 *
 * grad_norm_init and grad_norm_final hold ‖dL/dh_t‖ for t = 0..S−1 with the loss at the last step
 * (S = length for adding, length + 20 for copy). JSON has no NaN or infinity: a value that is not
 * finite (a diverged run's test_loss, an overflowed gradient norm) is written as null.
 */
public final class LabReport {
    /** Training-loss curves are stored as at most this many window means. */
    public static final int CURVE_POINTS = 500;

    private LabReport() {}

    /**
     * The report of runs of one experiment.
     *
     * @param mode     "compare" (cells side by side) or "explode" (the clipping demonstration)
     * @param settings extra settings to record (command line, budget, ...), written under "settings"
     */
    public static Map<String, Object> build(String mode, LabConfig config, List<RunResult> runs, Map<String, Object> settings) {
        GradlabTask task = config.task();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("task", task.name());
        root.put("length", task.length());
        root.put("baseline", task.baseline());
        root.put("mode", mode);
        root.put("loss", task.lossName());
        root.put("sequence_length", task.sequenceLength());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hidden", config.hidden());
        s.put("layers", config.layers());
        s.put("batch", config.batch());
        s.put("optimizer", config.optimizer());
        s.put("lr", config.lr());
        s.put("max_steps", config.maxSteps());
        s.put("time_budget_seconds", config.timeBudget() == null ? null : config.timeBudget().toMillis() / 1000.0);
        s.put("eval_every", config.evalEvery());
        s.put("test_sequences", config.testBatches() * config.batch());
        s.put("init", config.init().name().toLowerCase(java.util.Locale.ROOT));
        s.put("stop_at", config.stopAt());
        s.put("seed", config.seed());
        s.put("forget_bias", Double.isNaN(config.forgetBias()) ? null : config.forgetBias());
        s.put("beat_fraction", LabTrainer.BEAT_FRACTION);
        if (settings != null) s.putAll(settings);
        root.put("settings", s);
        Map<String, Object> cells = new LinkedHashMap<>();
        for (RunResult r : runs) cells.put(r.spec().name(), cell(r));
        root.put("cells", cells);
        return root;
    }

    private static Map<String, Object> cell(RunResult r) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("test_loss", num(r.testLoss()));
        c.put("beat_baseline", r.beatBaseline());
        c.put("steps", r.steps());
        c.put("grad_norm_init", nums(r.flowInit().hiddenNorms()));
        c.put("grad_norm_final", nums(r.flowFinal().hiddenNorms()));
        c.put("cell", r.spec().cell().cliName());
        c.put("seconds", round(r.seconds()));
        c.put("baseline_test", r.baselineTest());
        c.put("last_finite_test_loss", num(r.lastFiniteTestLoss()));
        c.put("diverged_at_step", r.diverged() ? r.divergedAtStep() : null);
        c.put("diverged_reason", r.divergedReason());
        c.put("skipped_steps", r.skippedSteps());
        c.put("clip_norm", r.spec().clipNorm());
        c.put("clip_value", r.spec().clipValue());
        c.put("spectral_radius", r.spec().spectralRadius());
        c.put("recurrent_grad_norm_init", nums(r.flowInit().recurrentGradNorms()));
        c.put("recurrent_grad_norm_final", nums(r.flowFinal().recurrentGradNorms()));
        c.put("reach_init", num(r.flowInit().reach()));
        c.put("reach_final", num(r.flowFinal().reach()));
        c.put("first_step_below_baseline", stepOrNull(r.firstStepBelow(LabTrainer.BEAT_FRACTION * r.baselineTest())));
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("step", r.evalSteps());
        eval.put("test_loss", nums(r.evalLoss()));
        c.put("eval", eval);
        Curve train = Curve.windowMeans(r.trainLoss(), CURVE_POINTS);
        Curve grad = Curve.windowMeans(r.gradNorm(), CURVE_POINTS);
        Map<String, Object> tl = new LinkedHashMap<>();
        tl.put("step", train.steps());
        tl.put("loss", nums(train.values()));
        tl.put("grad_norm", nums(grad.values()));
        c.put("train", tl);
        List<Object> hist = new ArrayList<>();
        for (RunResult.FlowPoint f : r.flowHistory()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("step", f.step());
            h.put("reach", num(f.reach()));
            h.put("recurrent_grad_norms", nums(f.recurrentGradNorms()));
            hist.add(h);
        }
        c.put("flow_history", hist);
        return c;
    }

    /**
     * A per-step series reduced to window means.
     *
     * @param steps  [n] the last step (1-based) of each window
     * @param values [n] the mean over the window
     */
    public record Curve(long[] steps, double[] values) {
        /**
         * Means over consecutive windows of ⌈length / maxPoints⌉ steps, of the finite values (a step the
         * divergence guard skipped is NaN); NaN for a window with none.
         */
        public static Curve windowMeans(float[] perStep, int maxPoints) {
            int w = Math.max(1, (perStep.length + maxPoints - 1) / maxPoints);
            int n = (perStep.length + w - 1) / w;
            long[] steps = new long[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                int from = i * w, to = Math.min(perStep.length, from + w);
                double sum = 0;
                int count = 0;
                for (int j = from; j < to; j++) {
                    if (Float.isFinite(perStep[j])) {
                        sum += perStep[j];
                        count++;
                    }
                }
                steps[i] = to;
                values[i] = count == 0 ? Double.NaN : sum / count;
            }
            return new Curve(steps, values);
        }
    }

    private static Object stepOrNull(long step) {
        return step < 0 ? null : step;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Double> nums(double[] a) {
        List<Double> out = new ArrayList<>(a.length);
        for (double v : a) out.add(num(v));
        return out;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
