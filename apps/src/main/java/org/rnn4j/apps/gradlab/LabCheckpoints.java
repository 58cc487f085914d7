package org.rnn4j.apps.gradlab;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.nn.CellKind;
import org.rnn4j.train.Checkpoint;

/**
 * How the gradient lab's results go into a {@link Checkpoint} and come back bit for bit: double series
 * as exact doubles (a checkpoint's doubles keep every bit, infinities included), per-step float series
 * as float arrays, and whole {@link RunResult}s of the runs already finished.
 *
 * <p>A checkpoint refuses arrays holding NaN or infinities (a NaN must never reach a file that a model
 * could be read from). The per-step series of a guarded run hold NaN at skipped steps, so such an array
 * is stored with 0 there and the list of those positions beside it.
 */
final class LabCheckpoints {
    private LabCheckpoints() {}

    /** A float series that may contain non-finite entries; empty series store only their length. */
    static void putFloats(Checkpoint ck, String name, float[] values) {
        ck.putLong(name + ".n", values.length);
        if (values.length == 0) return;
        float[] clean = values.clone();
        List<Object> nan = new ArrayList<>(), posInf = new ArrayList<>(), negInf = new ArrayList<>();
        for (int i = 0; i < clean.length; i++) {
            if (Float.isFinite(clean[i])) continue;
            (Float.isNaN(clean[i]) ? nan : clean[i] > 0 ? posInf : negInf).add((long) i);
            clean[i] = 0;
        }
        ck.putArray(name, clean);
        ck.putJson(name + ".nan", nan).putJson(name + ".inf", posInf).putJson(name + ".-inf", negInf);
    }

    static float[] getFloats(Checkpoint ck, String name) {
        int n = ck.getInt(name + ".n");
        if (n == 0) return new float[0];
        float[] v = ck.getArray(name);
        if (v.length != n) throw new IllegalArgumentException("checkpoint array " + name + " has " + v.length + " values, expected " + n);
        restoreSpecial(ck, name + ".nan", v, Float.NaN);
        restoreSpecial(ck, name + ".inf", v, Float.POSITIVE_INFINITY);
        restoreSpecial(ck, name + ".-inf", v, Float.NEGATIVE_INFINITY);
        return v;
    }

    private static void restoreSpecial(Checkpoint ck, String name, float[] v, float value) {
        for (int i : ck.getInts(name)) {
            if (i < 0 || i >= v.length) throw new IllegalArgumentException("checkpoint value " + name + " holds position " + i + " outside [0, " + v.length + ")");
            v[i] = value;
        }
    }

    static void putDoubles(Checkpoint ck, String name, double[] values) {
        ck.putLong(name + ".n", values.length);
        for (int i = 0; i < values.length; i++) ck.putDouble(name + "." + i, values[i]);
    }

    static double[] getDoubles(Checkpoint ck, String name) {
        double[] v = new double[ck.getInt(name + ".n")];
        for (int i = 0; i < v.length; i++) v[i] = ck.getDouble(name + "." + i);
        return v;
    }

    static void putLongs(Checkpoint ck, String name, long[] values) {
        ck.putLong(name + ".n", values.length);
        for (int i = 0; i < values.length; i++) ck.putLong(name + "." + i, values[i]);
    }

    static long[] getLongs(Checkpoint ck, String name) {
        long[] v = new long[ck.getInt(name + ".n")];
        for (int i = 0; i < v.length; i++) v[i] = ck.getLong(name + "." + i);
        return v;
    }

    static void putMeasurement(Checkpoint ck, String name, GradientFlow.Measurement m) {
        putDoubles(ck, name + ".hidden", m.hiddenNorms());
        putDoubles(ck, name + ".recurrent", m.recurrentGradNorms());
        ck.putDouble(name + ".loss", m.loss());
    }

    static GradientFlow.Measurement getMeasurement(Checkpoint ck, String name) {
        return new GradientFlow.Measurement(getDoubles(ck, name + ".hidden"), getDoubles(ck, name + ".recurrent"),
                ck.getDouble(name + ".loss"));
    }

    static void putFlowHistory(Checkpoint ck, String name, List<RunResult.FlowPoint> history) {
        ck.putLong(name + ".n", history.size());
        for (int i = 0; i < history.size(); i++) {
            RunResult.FlowPoint f = history.get(i);
            ck.putLong(name + "." + i + ".step", f.step());
            ck.putDouble(name + "." + i + ".reach", f.reach());
            putDoubles(ck, name + "." + i + ".recurrent", f.recurrentGradNorms());
        }
    }

    static List<RunResult.FlowPoint> getFlowHistory(Checkpoint ck, String name) {
        int n = ck.getInt(name + ".n");
        List<RunResult.FlowPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new RunResult.FlowPoint(ck.getLong(name + "." + i + ".step"), ck.getDouble(name + "." + i + ".reach"),
                    getDoubles(ck, name + "." + i + ".recurrent")));
        }
        return out;
    }

    /** A finished run's whole result under {@code name}. */
    static void putResult(Checkpoint ck, String name, RunResult r) {
        RunSpec s = r.spec();
        ck.putJson(name + ".spec", s.name()).putJson(name + ".cell", s.cell().cliName());
        ck.putDouble(name + ".clipNorm", s.clipNorm()).putDouble(name + ".clipValue", s.clipValue())
                .putDouble(name + ".spectralRadius", s.spectralRadius());
        ck.putLong(name + ".steps", r.steps()).putDouble(name + ".seconds", r.seconds());
        // testLoss is NaN exactly when the run diverged: derived, not stored.
        ck.putDouble(name + ".lastFiniteTestLoss", r.lastFiniteTestLoss()).putDouble(name + ".baselineTest", r.baselineTest());
        ck.putLong(name + ".beatBaseline", r.beatBaseline() ? 1 : 0).putLong(name + ".divergedAt", r.divergedAtStep());
        if (r.divergedReason() != null) ck.putJson(name + ".reason", r.divergedReason());
        putMeasurement(ck, name + ".flowInit", r.flowInit());
        putMeasurement(ck, name + ".flowFinal", r.flowFinal());
        putFloats(ck, name + ".trainLoss", r.trainLoss());
        putFloats(ck, name + ".gradNorm", r.gradNorm());
        putLongs(ck, name + ".evalSteps", r.evalSteps());
        putDoubles(ck, name + ".evalLoss", r.evalLoss());
        putFlowHistory(ck, name + ".flowHistory", r.flowHistory());
        ck.putLong(name + ".skipped", r.skippedSteps());
    }

    static RunResult getResult(Checkpoint ck, String name, RunSpec expected) {
        RunSpec s = new RunSpec((String) ck.getJson(name + ".spec"), CellKind.parse((String) ck.getJson(name + ".cell")),
                ck.getDouble(name + ".clipNorm"), ck.getDouble(name + ".clipValue"), ck.getDouble(name + ".spectralRadius"));
        if (!s.equals(expected)) throw new IllegalArgumentException("checkpoint holds a finished run " + s + ", this experiment has " + expected);
        long divergedAt = ck.getLong(name + ".divergedAt");
        double lastFinite = ck.getDouble(name + ".lastFiniteTestLoss");
        return new RunResult(s, ck.getLong(name + ".steps"), ck.getDouble(name + ".seconds"), divergedAt >= 0 ? Double.NaN : lastFinite,
                lastFinite, ck.getDouble(name + ".baselineTest"), ck.getLong(name + ".beatBaseline") != 0, divergedAt,
                ck.hasJson(name + ".reason") ? (String) ck.getJson(name + ".reason") : null, getMeasurement(ck, name + ".flowInit"),
                getMeasurement(ck, name + ".flowFinal"), getFloats(ck, name + ".trainLoss"), getFloats(ck, name + ".gradNorm"),
                getLongs(ck, name + ".evalSteps"), getDoubles(ck, name + ".evalLoss"), getFlowHistory(ck, name + ".flowHistory"),
                ck.getLong(name + ".skipped"));
    }
}
