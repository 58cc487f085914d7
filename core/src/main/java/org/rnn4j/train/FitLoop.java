package org.rnn4j.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Rng;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.SequenceModel;

/**
 * Mini-batch training of a {@link SequenceModel} on in-memory sequences: the loop under {@code rnn4j fit}.
 *
 * <p>Per batch: forward, loss and its gradient, backward, optional clipping, one optimizer step. With
 * shuffling off, batches are rows [0, bs), [bs, 2bs), ... in order, which makes a run comparable step
 * for step with the same loop in PyTorch.
 */
public final class FitLoop {

    /** Called after every epoch with the mean training loss of that epoch. */
    public interface Listener {
        void epochDone(int epoch, double meanLoss, long steps);
    }

    /** Inputs and targets, batch-first. Exactly one of floatTargets / classTargets is set. */
    public record Data(float[] x, int rows, int time, int features, float[] floatTargets, int[] classTargets, int[] lengths) {
        public Data {
            if (rows <= 0 || time <= 0 || features <= 0) {
                throw new IllegalArgumentException("data must have rows, time and features > 0, got " + rows + ", " + time + ", " + features);
            }
            if (x.length != rows * time * features) throw new IllegalArgumentException("x has " + x.length + " values, expected rows*time*features");
            if ((floatTargets == null) == (classTargets == null)) throw new IllegalArgumentException("give exactly one of float or class targets");
            if (lengths != null && lengths.length != rows) throw new IllegalArgumentException("lengths: expected " + rows + " values, got " + lengths.length);
        }
    }

    private FitLoop() {}

    /** Trains {@code model} in place; returns the mean loss of every epoch. */
    public static List<Double> fit(SequenceModel model, Data data, FitConfig cfg, Listener listener) {
        int outSize = model.outputSize();
        if (data.features() != model.config().rnn().inputSize()) {
            throw new IllegalArgumentException("input has " + data.features() + " features per step, the model expects "
                    + model.config().rnn().inputSize());
        }
        if (data.floatTargets() != null && data.floatTargets().length != data.rows() * data.time() * outSize) {
            throw new IllegalArgumentException("target: expected (" + data.rows() + ", " + data.time() + ", " + outSize
                    + ") = (rows, time, model outputs) values for mse, got " + data.floatTargets().length);
        }
        if (data.classTargets() != null && data.classTargets().length != data.rows() * data.time()) {
            throw new IllegalArgumentException("target: expected (" + data.rows() + ", " + data.time()
                    + ") = (rows, time) class ids for cross-entropy, got " + data.classTargets().length);
        }
        var params = model.parameters();
        Optimizer opt = Optimizers.create(cfg.optimizer(), cfg.lr(), cfg.momentum(), cfg.weightDecay(), params);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Rng rng = new Rng(cfg.seed());
        Map<Integer, ModelPass> passes = new HashMap<>();
        int n = data.rows(), t = data.time(), f = data.features();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        List<Double> history = new ArrayList<>();
        int bs = Math.min(cfg.batchSize(), n);
        float[] xb = new float[bs * t * f];
        float[] yb = data.floatTargets() != null ? new float[bs * t * outSize] : null;
        int[] cb = data.classTargets() != null ? new int[bs * t] : null;
        int[] lb = data.lengths() != null ? new int[bs] : null;
        float[] dOut = new float[bs * t * outSize];
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            if (cfg.shuffle()) rng.shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += bs) {
                int b = Math.min(bs, n - start);
                for (int r = 0; r < b; r++) {
                    int row = order[start + r];
                    System.arraycopy(data.x(), row * t * f, xb, r * t * f, t * f);
                    if (yb != null) System.arraycopy(data.floatTargets(), row * t * outSize, yb, r * t * outSize, t * outSize);
                    if (cb != null) System.arraycopy(data.classTargets(), row * t, cb, r * t, t);
                    if (lb != null) lb[r] = data.lengths()[row];
                }
                ModelPass pass = passes.computeIfAbsent(b, k -> model.newPass(k, t));
                float[] x = b == bs ? xb : java.util.Arrays.copyOf(xb, b * t * f);
                int[] lengths = lb == null ? null : (b == bs ? lb : java.util.Arrays.copyOf(lb, b));
                float[] out = pass.forward(x, lengths, null, null, true, rng);
                float[] d = b == bs ? dOut : new float[b * t * outSize];
                double loss = cfg.crossEntropy()
                        ? ce.lossAndGrad(out, 0, b * t, outSize, cb, 0, d, 0)
                        : MseLoss.lossAndGrad(out, 0, yb, 0, b * t * outSize, d, 0);
                params.zeroGrad();
                pass.backward(d, null, null);
                if (cfg.clipNorm() > 0) GradClip.clipNorm(params, cfg.clipNorm());
                if (cfg.clipValue() > 0) GradClip.clipValue(params, cfg.clipValue());
                opt.step(params);
                sum += loss;
                batches++;
            }
            double mean = sum / batches;
            history.add(mean);
            if (listener != null) listener.epochDone(epoch, mean, opt.steps());
        }
        return history;
    }
}
