package org.rnn4j.apps.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's forecasts on the test part scored against the baselines, in the target's own units.
 *
 * @param target the target column
 * @param horizon H
 * @param stepsAhead K
 * @param testRows test windows scored (forecast origins)
 * @param model the model's errors over all steps ahead
 * @param persistence persistence errors
 * @param seasonalPersistence seasonal persistence errors, or null when absent ({@link Baselines})
 * @param climatology climatology errors
 * @param linear errors of ridge regression on the input window ({@link LinearBaseline}), or null when it could not be fitted
 * @param linearNote how the linear baseline was fitted, or why it is absent
 * @param skillVsPersistence 100 × (1 − MAE_model / MAE_persistence), in percent
 * @param modelByStep the model's errors per step ahead (K entries)
 * @param baselines the baseline forecasts themselves, for plots
 */
public record Evaluation(String target, int horizon, int stepsAhead, int testRows, Metrics model, Metrics persistence,
        Metrics seasonalPersistence, Metrics climatology, Metrics linear, String linearNote, double skillVsPersistence, List<Metrics> modelByStep,
        Baselines baselines) {

    public Evaluation {
        modelByStep = List.copyOf(modelByStep);
    }

    /**
     * Scores forecasts for the test windows of {@code data}.
     *
     * @param predictions [N_test, K] in the target's own units (see {@link FeatureSpec#denormaliseTarget})
     */
    public static Evaluation evaluate(ForecastDataset data, double[] predictions) {
        return evaluate(data, data.test(), predictions, null);
    }

    /**
     * Scores forecasts for the test windows of {@code data}, with {@code fitted} as the linear baseline: the ridge model
     * a {@code --predict linear} forecaster already fitted on the same training windows (null: fit it here).
     */
    public static Evaluation evaluate(ForecastDataset data, double[] predictions, LinearBaseline fitted) {
        return evaluate(data, data.test(), predictions, fitted);
    }

    /** Scores forecasts for any window set of {@code data} (e.g. validation). */
    public static Evaluation evaluate(ForecastDataset data, WindowSet windows, double[] predictions) {
        return evaluate(data, windows, predictions, null);
    }

    /** Scores forecasts for any window set of {@code data}, with {@code fitted} as the linear baseline (null: fit it here). */
    public static Evaluation evaluate(ForecastDataset data, WindowSet windows, double[] predictions, LinearBaseline fitted) {
        int k = windows.stepsAhead();
        if (predictions.length != windows.size() * k) {
            throw new IllegalArgumentException("predictions: expected " + windows.size() + " x " + k + " = "
                    + windows.size() * k + " values for the " + windows.name() + " windows, got " + predictions.length);
        }
        double[] actual = windows.actual();
        Baselines b = Baselines.of(data, windows);
        Metrics model = Metrics.of(predictions, actual);
        Metrics persistence = Metrics.of(b.persistence(), actual);
        Metrics seasonal = b.seasonalPersistence() == null ? null : Metrics.of(b.seasonalPersistence(), actual);
        Metrics climatology = Metrics.of(b.climatology(), actual);
        Metrics linear = null;
        String linearNote;
        try {
            LinearBaseline lin = fitted != null ? fitted : LinearBaseline.fit(data);
            linear = Metrics.of(lin.predict(windows, data.spec()), actual);
            linearNote = lin.describe(windows.lookback(), windows.featureCount());
        } catch (IllegalArgumentException | IllegalStateException e) {
            linearNote = "not fitted: " + e.getMessage();
        }
        List<Metrics> byStep = new ArrayList<>();
        for (int j = 0; j < k; j++) byStep.add(Metrics.ofStep(predictions, actual, k, j));
        double skill = skill(model.mae(), persistence.mae());
        return new Evaluation(data.target(), windows.horizon(), k, windows.size(), model, persistence, seasonal, climatology,
                linear, linearNote, skill, byStep, b);
    }

    /** 100 × (1 − mae / referenceMae); NaN when the reference is 0. */
    public static double skill(double mae, double referenceMae) {
        return referenceMae > 0 ? 100 * (1 - mae / referenceMae) : Double.NaN;
    }

    /**
     * The metrics.json object: {@code model}, {@code persistence}, {@code seasonal_persistence} (null
     * when absent), {@code climatology}, {@code linear} (null when absent; with {@code method}) (each with
     * {@code mae} and {@code rmse}), {@code
     * skill_vs_persistence}, {@code test_rows}, {@code target}, {@code horizon}, plus {@code
     * steps_ahead}, {@code test_points} and, for several steps ahead, {@code model_by_step}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toJson());
        m.put("persistence", persistence.toJson());
        m.put("seasonal_persistence", seasonalPersistence == null ? null : seasonalPersistence.toJson());
        m.put("climatology", climatology.toJson());
        Map<String, Object> lin = null;
        if (linear != null) {
            lin = new LinkedHashMap<>(linear.toJson());
            lin.put("method", linearNote);
        }
        m.put("linear", lin);
        m.put("skill_vs_persistence", skillVsPersistence);
        m.put("test_rows", testRows);
        m.put("target", target);
        m.put("horizon", horizon);
        m.put("steps_ahead", stepsAhead);
        m.put("test_points", model.count());
        if (stepsAhead > 1) {
            List<Object> steps = new ArrayList<>();
            for (Metrics s : modelByStep) steps.add(s.toJson());
            m.put("model_by_step", steps);
        }
        return m;
    }

    /** A small table for a terminal. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %d step%s ahead%s, %d test forecasts%n", target, horizon,
                horizon == 1 ? "" : "s", stepsAhead > 1 ? " (" + stepsAhead + " consecutive steps)" : "", testRows));
        sb.append(String.format(Locale.ROOT, "  %-22s %10s %10s %9s%n", "forecast", "MAE", "RMSE", "skill"));
        row(sb, "model", model);
        row(sb, "persistence", persistence);
        if (seasonalPersistence != null) row(sb, "seasonal (" + baselines.season() + ")", seasonalPersistence);
        else sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "seasonal persistence", "n/a: " + baselines.seasonalNote()));
        row(sb, "climatology", climatology);
        if (linear != null) row(sb, "linear (ridge)", linear);
        else sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "linear (ridge)", linearNote));
        return sb.toString();
    }

    private void row(StringBuilder sb, String name, Metrics m) {
        sb.append(String.format(Locale.ROOT, "  %-22s %10.4f %10.4f %8.1f%%%n", name, m.mae(), m.rmse(),
                skill(m.mae(), persistence.mae())));
    }
}
