package org.rnn4j.apps.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.SequenceModel;

/**
 * A trained forecaster: one or more recurrent networks (an ensemble is averaged) plus the
 * {@link FeatureSpec} that turns CSV rows into inputs and outputs back into the target's units.
 *
 * <p>Each network reads a window [L, F] and emits, at its last step, K values: the normalised targets
 * t+H .. t+H+K-1, or what is added to a base forecast: (residual) their change from the last observed target
 * value, or (linear base) the correction to a ridge regression's forecasts from the same window
 * ({@link LinearBaseline}, fitted before the network and fixed while it trains: the network only learns what
 * a linear model of the window misses).
 *
 * <p>Saved as one safetensors file: network i's tensors under the prefix {@code m<i>.} would break the
 * PyTorch naming, so an ensemble is saved as one file per member ({@code model.safetensors},
 * {@code model.1.safetensors}, ...) with the spec in each file's metadata.
 */
public final class Forecaster {
    public static final String KEY_APP = "rnn4j.app";
    public static final String KEY_SPEC = "rnn4j.forecast.spec";
    public static final String KEY_RESIDUAL = "rnn4j.forecast.residual";
    public static final String KEY_ENSEMBLE = "rnn4j.forecast.ensemble";
    /** Days of past errors the forecasts are corrected by ({@link BiasCorrection}); absent or 0 = none. */
    public static final String KEY_BIAS_DAYS = "rnn4j.forecast.bias_correction_days";
    /** The linear model the networks' outputs are added to ({@link LinearBaseline#toJson}); absent = none. */
    public static final String KEY_LINEAR_BASE = "rnn4j.forecast.linear_base";

    private final List<SequenceModel> members;
    private final FeatureSpec spec;
    private final boolean residual;
    private final int targetFeature;
    private final int biasDays;
    private final LinearBaseline linearBase;

    public Forecaster(List<SequenceModel> members, FeatureSpec spec, boolean residual) {
        this(members, spec, residual, 0, null);
    }

    /** Without a linear base. */
    public Forecaster(List<SequenceModel> members, FeatureSpec spec, boolean residual, int biasDays) {
        this(members, spec, residual, biasDays, null);
    }

    /**
     * @param biasDays the {@link BiasCorrection} window in days that users of the model should apply (0 = none); kept in
     *     the model file. {@link #predict} itself returns uncorrected forecasts: the correction needs past errors.
     * @param linearBase the ridge regression whose normalised forecasts the networks' outputs are added to, or null;
     *     not together with {@code residual}
     */
    public Forecaster(List<SequenceModel> members, FeatureSpec spec, boolean residual, int biasDays, LinearBaseline linearBase) {
        if (biasDays < 0) throw new IllegalArgumentException("biasDays must be >= 0, got " + biasDays);
        if (residual && linearBase != null) {
            throw new IllegalArgumentException("residual must be false with a linear base (the outputs are added to one base), got residual = true");
        }
        if (linearBase != null && (linearBase.dims() != spec.lookback() * spec.featureCount() || linearBase.stepsAhead() != spec.stepsAhead())) {
            throw new IllegalArgumentException("the linear base takes " + linearBase.dims() + " inputs and gives " + linearBase.stepsAhead()
                    + " outputs; the feature spec has " + spec.lookback() + " x " + spec.featureCount() + " inputs and " + spec.stepsAhead()
                    + " steps ahead");
        }
        this.biasDays = biasDays;
        this.linearBase = linearBase;
        if (members.isEmpty()) throw new IllegalArgumentException("a forecaster needs at least one network");
        this.members = List.copyOf(members);
        this.spec = spec;
        this.residual = residual;
        this.targetFeature = targetFeatureIndex(spec);
        for (SequenceModel m : members) {
            if (m.config().rnn().inputSize() != spec.featureCount() || m.outputSize() != spec.stepsAhead()) {
                throw new IllegalArgumentException("network takes " + m.config().rnn().inputSize() + " features and gives "
                        + m.outputSize() + " outputs; the feature spec has " + spec.featureCount() + " features and "
                        + spec.stepsAhead() + " steps ahead");
            }
        }
    }

    /** Index of the target among the input features (the pipeline always includes it). */
    static int targetFeatureIndex(FeatureSpec spec) {
        List<Feature> f = spec.features();
        for (int i = 0; i < f.size(); i++) {
            if (f.get(i).kind() == Feature.Kind.NUMERIC && f.get(i).column().equals(spec.target())) return i;
        }
        throw new IllegalArgumentException("the target '" + spec.target() + "' is not among the input features");
    }

    /** The same networks with another bias-correction window (days, 0 = none). */
    public Forecaster withBiasCorrection(int days) {
        return new Forecaster(members, spec, residual, days, linearBase);
    }

    /** The linear model the networks' outputs are added to, or null. */
    public LinearBaseline linearBase() {
        return linearBase;
    }

    /** The bias-correction window in days, 0 = none. */
    public int biasCorrectionDays() {
        return biasDays;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public boolean residual() {
        return residual;
    }

    public List<SequenceModel> members() {
        return members;
    }

    /**
     * The normalised bases [B, K] the networks' outputs are added to: the linear base's forecasts, or the last
     * input step's target value in target-normalised units when residual, else 0. {@code x} is [B, L, F].
     */
    void bases(float[] x, int batch, float[] base) {
        int k = spec.stepsAhead(), lf = spec.lookback() * spec.featureCount();
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < k; q++) {
                base[b * k + q] = linearBase != null ? (float) linearBase.forecast(x, b * lf, q) : baseAt(x, b, spec.lookback() - 1);
            }
        }
    }

    /**
     * The base of window {@code b} of {@code x} [B, L, F] for an output at input step {@code step} (0-based), the same
     * for every step ahead; not with a linear base, which is defined for the last step only.
     */
    float baseAt(float[] x, int b, int step) {
        if (linearBase != null) throw new IllegalStateException("a linear base forecasts from the whole window, not from step " + step);
        if (!residual) return 0f;
        int l = spec.lookback(), f = spec.featureCount();
        Feature t = spec.features().get(targetFeature);
        double raw = x[(b * l + step) * f + targetFeature] * t.std() + t.mean();
        return (float) spec.normaliseTarget(raw);
    }

    /** Forecasts for every window, in the target's units: [N, K]. */
    public double[] predict(WindowSet windows) {
        int n = windows.size(), k = spec.stepsAhead(), l = spec.lookback(), f = spec.featureCount();
        double[] out = new double[n * k];
        int batch = Math.max(1, Math.min(256, n));
        float[] x = new float[batch * l * f];
        float[] base = new float[batch * k];
        List<ModelPass> passes = new ArrayList<>();
        for (SequenceModel m : members) passes.add(m.newPass(batch, l));
        int[] idx = new int[batch];
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            for (int j = 0; j < batch; j++) idx[j] = Math.min(start + j, n - 1); // pad the last batch by repeating
            windows.copyBatch(idx, x, null, null);
            bases(x, batch, base);
            for (ModelPass pass : passes) {
                float[] y = pass.forward(x, null, null, null, false, null);
                for (int j = 0; j < b; j++) {
                    for (int q = 0; q < k; q++) out[(start + j) * k + q] += y[(j * l + l - 1) * k + q] + base[j * k + q];
                }
            }
        }
        for (int i = 0; i < out.length; i++) out[i] = spec.denormaliseTarget(out[i] / members.size());
        return out;
    }

    /** Forecast from one input window [1, L, F] (e.g. {@link ForecastInput#inputs()}), in target units: [K]. */
    public double[] predict(float[] window) {
        int l = spec.lookback(), f = spec.featureCount(), k = spec.stepsAhead();
        if (window.length != l * f) {
            throw new IllegalArgumentException("input window: expected " + l + "×" + f + " = (lookback, features) values, got " + window.length);
        }
        float[] base = new float[k];
        bases(window, 1, base);
        double[] out = new double[k];
        for (SequenceModel m : members) {
            float[] y = m.newPass(1, l).forward(window, null, null, null, false, null);
            for (int q = 0; q < k; q++) out[q] += y[(l - 1) * k + q] + base[q];
        }
        for (int q = 0; q < k; q++) out[q] = spec.denormaliseTarget(out[q] / members.size());
        return out;
    }

    /** Writes {@code model.safetensors} (and {@code model.<i>.safetensors} for further ensemble members). */
    public void save(Path first) throws IOException {
        for (int i = 0; i < members.size(); i++) {
            SequenceModel m = members.get(i);
            m.metadata().put(KEY_APP, "forecast");
            m.metadata().put(KEY_SPEC, Json.write(spec.toJson()));
            m.metadata().put(KEY_RESIDUAL, Boolean.toString(residual));
            m.metadata().put(KEY_ENSEMBLE, Integer.toString(members.size()));
            if (biasDays > 0) m.metadata().put(KEY_BIAS_DAYS, Integer.toString(biasDays));
            else m.metadata().remove(KEY_BIAS_DAYS);
            if (linearBase != null) m.metadata().put(KEY_LINEAR_BASE, Json.write(linearBase.toJson()));
            else m.metadata().remove(KEY_LINEAR_BASE);
            ModelFile.save(memberPath(first, i), m);
        }
    }

    static Path memberPath(Path first, int i) {
        if (i == 0) return first;
        String name = first.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return first.resolveSibling(stem + "." + i + ".safetensors");
    }

    /** Reads a forecaster written by {@link #save}; errors name the file and what is missing. */
    @SuppressWarnings("unchecked")
    public static Forecaster load(Path first) throws IOException {
        SequenceModel m0 = ModelFile.load(first);
        String app = m0.metadata().get(KEY_APP), specJson = m0.metadata().get(KEY_SPEC);
        if (!"forecast".equals(app) || specJson == null) {
            throw new FormatException(first, "not a forecast model (no " + KEY_SPEC + " metadata); make one with `rnn4j forecast`");
        }
        FeatureSpec spec;
        try {
            spec = FeatureSpec.fromJson((Map<String, Object>) Json.parse(specJson));
        } catch (RuntimeException e) {
            throw new FormatException(first, "metadata " + KEY_SPEC + " is not a valid feature spec: " + e.getMessage());
        }
        int count = Integer.parseInt(m0.metadata().getOrDefault(KEY_ENSEMBLE, "1"));
        List<SequenceModel> members = new ArrayList<>();
        members.add(m0);
        for (int i = 1; i < count; i++) members.add(ModelFile.load(memberPath(first, i)));
        int biasDays;
        try {
            biasDays = Integer.parseInt(m0.metadata().getOrDefault(KEY_BIAS_DAYS, "0"));
        } catch (NumberFormatException e) {
            throw new FormatException(first, "metadata " + KEY_BIAS_DAYS + " must be a whole number of days, got '"
                    + m0.metadata().get(KEY_BIAS_DAYS) + "'");
        }
        LinearBaseline linear = null;
        String linearJson = m0.metadata().get(KEY_LINEAR_BASE);
        if (linearJson != null) {
            try {
                linear = LinearBaseline.fromJson((Map<String, Object>) Json.parse(linearJson));
            } catch (RuntimeException e) {
                throw new FormatException(first, "metadata " + KEY_LINEAR_BASE + " is not a valid linear model: " + e.getMessage());
            }
        }
        try {
            return new Forecaster(members, spec, Boolean.parseBoolean(m0.metadata().getOrDefault(KEY_RESIDUAL, "false")), biasDays, linear);
        } catch (IllegalArgumentException e) {
            throw new FormatException(first, e.getMessage());
        }
    }
}
