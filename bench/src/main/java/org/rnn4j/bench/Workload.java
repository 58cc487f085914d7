package org.rnn4j.bench;

import org.rnn4j.nn.CellKind;

/**
 * The shapes of issue 3's comparison (batch B, length T, input I, hidden H, layers L). S1–S3 are
 * training steps; S4 is streaming inference, one time step per call at batch 1.
 */
public enum Workload {
    S1(32, 100, 64, 256, 1),
    S2(64, 50, 512, 512, 1),
    S3(16, 200, 128, 128, 2),
    S4(1, 1, 64, 256, 1);

    public final int batch;
    public final int time;
    public final int input;
    public final int hidden;
    public final int layers;

    Workload(int batch, int time, int input, int hidden, int layers) {
        this.batch = batch;
        this.time = time;
        this.input = input;
        this.hidden = hidden;
        this.layers = layers;
    }

    /**
     * Multiply-add flops (×2) of the GEMMs of one training step, counted as PyTorch needs them: per layer
     * forward input projection and recurrent product, backward dW_ih, dW_hh, the per-step dh product and
     * the layer's input gradient — except layer 0's, which PyTorch skips because x needs no gradient.
     * Pointwise work and the optimizer are not counted.
     */
    public double trainingFlops(CellKind cell) {
        double gh = (double) cell.gates() * hidden, tb = (double) time * batch;
        double total = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? input : hidden;
            total += 2 * tb * gh * (in + hidden) * 3;
            if (l == 0) total -= 2 * tb * gh * in;
        }
        return total;
    }

    /** GEMM flops of one forward step at batch 1 (S4): x·W_ihᵀ and h·W_hhᵀ per layer. */
    public double inferenceStepFlops(CellKind cell) {
        double gh = (double) cell.gates() * hidden, total = 0;
        for (int l = 0; l < layers; l++) total += 2 * batch * gh * ((l == 0 ? input : hidden) + hidden);
        return total;
    }

    public String describe() {
        return name() + " (B=" + batch + ", T=" + time + ", I=" + input + ", H=" + hidden + ", L=" + layers + ")";
    }
}
