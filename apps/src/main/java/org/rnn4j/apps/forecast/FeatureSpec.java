package org.rnn4j.apps.forecast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything needed to turn rows of a CSV file into model inputs the same way as in training, and the
 * model's outputs back into the target's units: the time columns and step, the features in input
 * order with their training-part normalisation, the target and its normalisation, the window shape,
 * and the missing-value policy. It goes into the model file's metadata ({@link #toJson()}) and comes
 * back with {@link #fromJson}.
 *
 * @param time where the file keeps its time
 * @param step the series' regular step
 * @param target the target column
 * @param targetMean training-part mean of the observed target values
 * @param targetStd training-part standard deviation of the observed target values, > 0
 * @param features the input features, in the order of the last input dimension
 * @param lookback input steps per window
 * @param horizon steps from the last input to the first target (1 = the next step)
 * @param stepsAhead consecutive target steps per window
 * @param maxInterpolationSteps longest run of missing values filled by linear interpolation
 * @param maxGapFillSteps longest gap in the timestamps filled with rows (longer gaps break the series)
 */
public record FeatureSpec(TimeSpec time, TimeStep step, String target, double targetMean, double targetStd,
        List<Feature> features, int lookback, int horizon, int stepsAhead, int maxInterpolationSteps,
        int maxGapFillSteps) {

    /** Identifies this layout in metadata; bump the number when the meaning of a field changes. */
    public static final String FORMAT = "rnn4j.forecast.features/1";

    public FeatureSpec {
        if (time == null) throw new IllegalArgumentException("time must not be null");
        if (step == null) throw new IllegalArgumentException("step must not be null");
        if (target == null || target.isEmpty()) throw new IllegalArgumentException("target must not be empty");
        if (!Double.isFinite(targetMean)) throw new IllegalArgumentException("targetMean must be finite, got " + targetMean);
        if (!(targetStd > 0) || !Double.isFinite(targetStd)) {
            throw new IllegalArgumentException("targetStd must be > 0 and finite, got " + targetStd);
        }
        features = List.copyOf(features);
        if (features.isEmpty()) throw new IllegalArgumentException("features must not be empty");
        Set<String> names = new HashSet<>();
        for (Feature f : features) {
            if (!names.add(f.name())) throw new IllegalArgumentException("feature '" + f.name() + "' appears twice");
        }
        if (lookback <= 0) throw new IllegalArgumentException("lookback must be > 0, got " + lookback);
        if (horizon <= 0) throw new IllegalArgumentException("horizon must be > 0, got " + horizon);
        if (stepsAhead <= 0) throw new IllegalArgumentException("stepsAhead must be > 0, got " + stepsAhead);
        if (maxInterpolationSteps < 0) {
            throw new IllegalArgumentException("maxInterpolationSteps must be >= 0, got " + maxInterpolationSteps);
        }
        if (maxGapFillSteps < 0) throw new IllegalArgumentException("maxGapFillSteps must be >= 0, got " + maxGapFillSteps);
    }

    /** Number of input features F. */
    public int featureCount() {
        return features.size();
    }

    /** Feature names in input order. */
    public List<String> featureNames() {
        return features.stream().map(Feature::name).toList();
    }

    /** Rows a window spans: lookback + horizon + stepsAhead - 1. */
    public int windowSpan() {
        return lookback + horizon + stepsAhead - 1;
    }

    /** A target value in its own units, normalised as the network sees it. */
    public double normaliseTarget(double value) {
        return (value - targetMean) / targetStd;
    }

    /** A network output back in the target's own units. */
    public double denormaliseTarget(double normalised) {
        return normalised * targetStd + targetMean;
    }

    /** {@link #denormaliseTarget(double)} for every element. */
    public double[] denormaliseTarget(float[] normalised) {
        double[] out = new double[normalised.length];
        for (int i = 0; i < out.length; i++) out[i] = denormaliseTarget(normalised[i]);
        return out;
    }

    /** A JSON-ready map (String, Number, List, Map values only). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("time", time.toJson());
        m.put("step", step.iso());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("column", target);
        t.put("mean", targetMean);
        t.put("std", targetStd);
        m.put("target", t);
        List<Object> fs = new ArrayList<>();
        for (Feature f : features) fs.add(f.toJson());
        m.put("features", fs);
        m.put("lookback", lookback);
        m.put("horizon", horizon);
        m.put("steps_ahead", stepsAhead);
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("max_interpolation_steps", maxInterpolationSteps);
        missing.put("max_gap_fill_steps", maxGapFillSteps);
        m.put("missing", missing);
        return m;
    }

    /**
     * Reads {@link #toJson()} output (numbers may come back as any {@link Number}).
     *
     * @throws IllegalArgumentException naming the key that is missing or wrong
     */
    public static FeatureSpec fromJson(Map<String, Object> json) {
        String what = "forecast feature spec";
        String format = JsonMaps.string(json, "format", what);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(what + ": expected format '" + FORMAT + "', got '" + format + "'");
        }
        Map<String, Object> t = JsonMaps.map(json, "target", what);
        List<Feature> features = new ArrayList<>();
        for (Object o : JsonMaps.list(json, "features", what)) features.add(Feature.fromJson(JsonMaps.asMap(o, "feature")));
        Map<String, Object> missing = JsonMaps.map(json, "missing", what);
        return new FeatureSpec(
                TimeSpec.fromJson(JsonMaps.map(json, "time", what)),
                TimeStep.parse(JsonMaps.string(json, "step", what)),
                JsonMaps.string(t, "column", what + " target"),
                JsonMaps.number(t, "mean", what + " target"),
                JsonMaps.number(t, "std", what + " target"),
                features,
                JsonMaps.integer(json, "lookback", what),
                JsonMaps.integer(json, "horizon", what),
                JsonMaps.integer(json, "steps_ahead", what),
                JsonMaps.integer(missing, "max_interpolation_steps", what),
                JsonMaps.integer(missing, "max_gap_fill_steps", what));
    }
}
