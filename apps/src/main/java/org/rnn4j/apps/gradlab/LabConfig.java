package org.rnn4j.apps.gradlab;

import java.time.Duration;
import org.rnn4j.nn.Init;

/**
 * The settings every run of one experiment shares: the task, the model size, the optimizer and the
 * budget. A run stops at whichever comes first: {@code maxSteps} optimizer steps, {@code timeBudget}
 * of wall-clock training time, the test loss falling below {@code stopAt}, or divergence.
 *
 * @param task       the benchmark task
 * @param hidden     hidden units per layer
 * @param layers     stacked recurrent layers
 * @param batch      sequences per optimizer step
 * @param optimizer  an {@link org.rnn4j.train.Optimizers} name (adam, sgd, rmsprop, ...)
 * @param lr         learning rate
 * @param maxSteps   optimizer steps per run; 0 = no step limit (then timeBudget must be set)
 * @param timeBudget wall-clock time per run for its steps and periodic evaluations (not the set-up), or null
 * @param evalEvery  steps between test-set evaluations (and gradient-flow snapshots)
 * @param testSize   test sequences (rounded up to whole batches), drawn once from the seed
 * @param init       weight initialisation
 * @param stopAt     stop a run once its test loss is below this; 0 = never
 * @param seed       the seed of everything: test set, training stream, initial weights
 * @param forgetBias if not NaN, the initial bias of the gate that keeps the state — the LSTM's forget
 *                   gate, the GRU's update gate z — in every layer (b_ih = this, b_hh = 0), so the
 *                   state starts out remembering: sigmoid(4) = 0.982 keeps 0.982^300 ≈ 0.4 % of a
 *                   value over 300 steps where the PyTorch default (≈ 0.5) keeps nothing; no effect
 *                   on rnn-tanh, which has no such gate
 */
public record LabConfig(GradlabTask task, int hidden, int layers, int batch, String optimizer, double lr, long maxSteps,
                        Duration timeBudget, int evalEvery, int testSize, Init init, double stopAt, long seed,
                        double forgetBias) {
    public LabConfig {
        if (task == null) throw new IllegalArgumentException("task must be given");
        if (hidden <= 0) throw new IllegalArgumentException("hidden must be > 0, got " + hidden);
        if (layers <= 0) throw new IllegalArgumentException("layers must be > 0, got " + layers);
        if (batch <= 0) throw new IllegalArgumentException("batch must be > 0, got " + batch);
        if (optimizer == null || optimizer.isBlank()) throw new IllegalArgumentException("optimizer must be given");
        if (!(lr > 0 && Double.isFinite(lr))) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
            throw new IllegalArgumentException("timeBudget must be > 0, got " + timeBudget);
        }
        if (maxSteps == 0 && timeBudget == null) {
            throw new IllegalArgumentException("a budget is needed: maxSteps > 0 or a timeBudget, got neither");
        }
        if (evalEvery <= 0) throw new IllegalArgumentException("evalEvery must be > 0, got " + evalEvery);
        if (testSize <= 0) throw new IllegalArgumentException("testSize must be > 0, got " + testSize);
        if (init == null) throw new IllegalArgumentException("init must be given");
        if (!(stopAt >= 0)) throw new IllegalArgumentException("stopAt must be >= 0, got " + stopAt);
        if (Double.isInfinite(forgetBias)) throw new IllegalArgumentException("forgetBias must be finite or NaN, got " + forgetBias);
    }

    /** Without a forget-bias override: the initialiser's gate biases. */
    public LabConfig(GradlabTask task, int hidden, int layers, int batch, String optimizer, double lr, long maxSteps,
                     Duration timeBudget, int evalEvery, int testSize, Init init, double stopAt, long seed) {
        this(task, hidden, layers, batch, optimizer, lr, maxSteps, timeBudget, evalEvery, testSize, init, stopAt, seed, Double.NaN);
    }

    /** Test batches: testSize rounded up to whole batches. */
    public int testBatches() {
        return (testSize + batch - 1) / batch;
    }
}
