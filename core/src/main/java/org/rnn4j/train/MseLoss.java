package org.rnn4j.train;

import org.rnn4j.tensor.ShapeException;
import org.rnn4j.tensor.Tensor;

/**
 * Mean squared error over all elements, as {@code torch.nn.MSELoss()} (reduction "mean"):
 * {@code loss = sum((pred - target)^2) / n}, {@code dPred = 2 (pred - target) / n}.
 *
 * <p>The loss is accumulated in double. The gradient is written into a caller-supplied buffer (nothing is
 * allocated per call) and overwrites it; it does not add.
 */
public final class MseLoss {
    private MseLoss() {}

    /** The loss only. */
    public static double loss(float[] pred, int predOff, float[] target, int targetOff, int n) {
        return lossAndGrad(pred, predOff, target, targetOff, n, null, 0);
    }

    /**
     * The mean loss over {@code n} elements, and its gradient.
     *
     * @param pred [n] predictions from {@code predOff}
     * @param target [n] targets from {@code targetOff}
     * @param n number of elements, > 0
     * @param dPred [n] written from {@code dOff} with dLoss/dPred; may be null for the loss only
     */
    public static double lossAndGrad(float[] pred, int predOff, float[] target, int targetOff, int n, float[] dPred,
            int dOff) {
        Check.positive("n", n);
        Check.range("pred", pred, predOff, n);
        Check.range("target", target, targetOff, n);
        if (dPred != null) Check.range("dPred", dPred, dOff, n);
        // PyTorch's backward multiplies the float difference by the float scalar 2/n.
        float scale = (float) (2.0 / n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float diff = pred[predOff + i] - target[targetOff + i];
            sum += (double) diff * diff;
            if (dPred != null) dPred[dOff + i] = diff * scale;
        }
        return sum / n;
    }

    /** Tensor form: {@code pred}, {@code target} and {@code dPred} (may be null) must have the same shape. */
    public static double lossAndGrad(Tensor pred, Tensor target, Tensor dPred) {
        if (!target.sameShape(pred.shape())) {
            throw new ShapeException("target: expected " + Tensor.shapeString(pred.shape())
                    + " (the shape of pred), got " + Tensor.shapeString(target.shape()));
        }
        if (dPred != null && !dPred.sameShape(pred.shape())) {
            throw new ShapeException("dPred: expected " + Tensor.shapeString(pred.shape())
                    + " (the shape of pred), got " + Tensor.shapeString(dPred.shape()));
        }
        return lossAndGrad(pred.data(), 0, target.data(), 0, pred.size(), dPred == null ? null : dPred.data(), 0);
    }
}
