package org.rnn4j.apps.forecast;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.GradClip;
import org.rnn4j.train.Optimizer;
import org.rnn4j.train.Optimizers;

/**
 * Trains forecasters: Adam on mini-batches of shuffled training windows, masked MSE on the last step's
 * K outputs (normalised units), gradient clipping, early stopping on the validation loss with the best
 * weights restored. Seeded: the same data and config give the same weights.
 */
public final class ForecastTrainer {

    /** Progress callbacks (all optional). */
    public interface Listener {
        default void epochDone(int member, int epoch, int maxEpochs, double trainLoss, double valLoss, boolean improved) {}

        default void memberDone(int member, int bestEpoch, double bestValLoss) {}
    }

    /** The trained forecaster and its loss curves (per member: train and validation loss per epoch). */
    public record Result(Forecaster forecaster, List<List<Double>> trainLoss, List<List<Double>> valLoss, int[] bestEpoch) {}

    private ForecastTrainer() {}

    public static Result train(ForecastDataset data, ForecastModelConfig cfg, Listener listener) {
        FeatureSpec spec = data.spec();
        if (data.train().isEmpty()) throw new IllegalArgumentException("no training windows: the series is too short for lookback + horizon");
        if (data.validation().isEmpty()) throw new IllegalArgumentException("no validation windows: the series is too short for lookback + horizon");
        Listener l = listener == null ? new Listener() {} : listener;
        List<SequenceModel> members = new ArrayList<>();
        List<List<Double>> trainCurves = new ArrayList<>(), valCurves = new ArrayList<>();
        int[] best = new int[cfg.ensemble()];
        for (int member = 0; member < cfg.ensemble(); member++) {
            List<Double> tc = new ArrayList<>(), vc = new ArrayList<>();
            SequenceModel m = trainOne(data, spec, cfg, cfg.seed() + 1000L * member, member, tc, vc, l);
            int bestEpoch = argmin(vc) + 1;
            best[member] = bestEpoch;
            l.memberDone(member, bestEpoch, vc.get(bestEpoch - 1));
            members.add(m);
            trainCurves.add(tc);
            valCurves.add(vc);
        }
        return new Result(new Forecaster(members, spec, cfg.residual()), trainCurves, valCurves, best);
    }

    private static SequenceModel trainOne(ForecastDataset data, FeatureSpec spec, ForecastModelConfig cfg, long seed,
                                          int member, List<Double> trainCurve, List<Double> valCurve, Listener listener) {
        int f = spec.featureCount(), l = spec.lookback(), k = spec.stepsAhead();
        RecurrentConfig rc = new RecurrentConfig(cfg.cell(), f, cfg.hiddenSize(), cfg.layers(), false, true, cfg.dropout());
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, k, 0), Init.PYTORCH, seed);
        Forecaster shape = new Forecaster(List.of(model), spec, cfg.residual());
        var params = model.parameters();
        Optimizer adam = Optimizers.create(cfg.weightDecay() > 0 ? "adamw" : "adam", cfg.lr(), 0, cfg.weightDecay(), params);
        Rng rng = new Rng(seed);
        WindowSet train = data.train();
        int n = train.size(), bs = Math.min(cfg.batchSize(), n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Batch batch = new Batch(bs, l, f, k);
        ModelPass pass = model.newPass(bs, l);
        float[] bestWeights = params.values().clone();
        double bestVal = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
            rng.shuffle(order);
            double sum = 0;
            int batches = 0;
            // Full batches only: the few windows left over are in another epoch's batches.
            for (int start = 0; start + bs <= n; start += bs) {
                System.arraycopy(order, start, batch.idx, 0, bs);
                batch.load(train, shape);
                float[] out = pass.forward(batch.x, null, null, null, true, rng);
                sum += batch.lossAndGrad(out);
                params.zeroGrad();
                pass.backward(batch.dOut, null, null);
                double norm = cfg.clipNorm() > 0 ? GradClip.clipNorm(params, cfg.clipNorm()) : GradClip.norm(params);
                if (!Double.isFinite(norm)) {
                    throw new IllegalStateException("training diverged at epoch " + epoch + " (gradient norm " + norm
                            + "); lower --lr or set --clip-norm");
                }
                adam.step(params);
                batches++;
            }
            double trainLoss = sum / Math.max(1, batches);
            double val = loss(data.validation(), model, shape, spec);
            trainCurve.add(trainLoss);
            valCurve.add(val);
            boolean improved = val < bestVal - 1e-7;
            if (improved) {
                bestVal = val;
                sinceBest = 0;
                System.arraycopy(params.values(), 0, bestWeights, 0, bestWeights.length);
            } else {
                sinceBest++;
            }
            listener.epochDone(member, epoch, cfg.maxEpochs(), trainLoss, val, improved);
            if (sinceBest >= cfg.patience()) break;
        }
        System.arraycopy(bestWeights, 0, params.values(), 0, bestWeights.length);
        return model;
    }

    /** Masked MSE in normalised units over all windows of a part, no dropout. */
    static double loss(WindowSet windows, SequenceModel model, Forecaster shape, FeatureSpec spec) {
        int n = windows.size(), l = spec.lookback(), f = spec.featureCount(), k = spec.stepsAhead();
        int bs = Math.min(256, n);
        Batch batch = new Batch(bs, l, f, k);
        ModelPass pass = model.newPass(bs, l);
        double sum = 0, count = 0;
        for (int start = 0; start < n; start += bs) {
            int b = Math.min(bs, n - start);
            for (int j = 0; j < bs; j++) batch.idx[j] = start + Math.min(j, b - 1);
            batch.load(windows, shape);
            if (b < bs) java.util.Arrays.fill(batch.mask, b * k, bs * k, 0f); // padding rows do not count
            float[] out = pass.forward(batch.x, null, null, null, false, null);
            sum += batch.sumSquaredError(out);
            count += batch.maskSum();
        }
        return sum / Math.max(1, count);
    }

    private static int argmin(List<Double> v) {
        int best = 0;
        for (int i = 1; i < v.size(); i++) if (v.get(i) < v.get(best)) best = i;
        return best;
    }

    /** Buffers of one mini-batch: inputs, targets relative to the base, mask, and the output gradient. */
    private static final class Batch {
        final int bs, l, f, k;
        final int[] idx;
        final float[] x, y, mask, base, dOut;

        Batch(int bs, int l, int f, int k) {
            this.bs = bs;
            this.l = l;
            this.f = f;
            this.k = k;
            idx = new int[bs];
            x = new float[bs * l * f];
            y = new float[bs * k];
            mask = new float[bs * k];
            base = new float[bs];
            dOut = new float[bs * l * k];
        }

        void load(WindowSet w, Forecaster shape) {
            w.copyBatch(idx, x, y, mask);
            shape.bases(x, bs, base);
            for (int b = 0; b < bs; b++) {
                for (int q = 0; q < k; q++) y[b * k + q] -= base[b];
            }
        }

        double maskSum() {
            double s = 0;
            for (float m : mask) s += m;
            return s;
        }

        double sumSquaredError(float[] out) {
            double s = 0;
            for (int b = 0; b < bs; b++) {
                for (int q = 0; q < k; q++) {
                    double d = out[(b * l + l - 1) * k + q] - y[b * k + q];
                    s += mask[b * k + q] * d * d;
                }
            }
            return s;
        }

        /** Mean over observed targets; writes dOut (zero except at the last step). */
        double lossAndGrad(float[] out) {
            double count = Math.max(1, maskSum());
            java.util.Arrays.fill(dOut, 0f);
            double s = 0;
            for (int b = 0; b < bs; b++) {
                for (int q = 0; q < k; q++) {
                    int o = (b * l + l - 1) * k + q;
                    double d = out[o] - y[b * k + q];
                    s += mask[b * k + q] * d * d;
                    dOut[o] = (float) (2 * mask[b * k + q] * d / count);
                }
            }
            return s / count;
        }
    }
}
