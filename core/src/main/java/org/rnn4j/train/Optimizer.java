package org.rnn4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.nn.Parameters;

/**
 * A first-order optimizer over one flat {@link Parameters} buffer.
 *
 * <p>{@link #step(Parameters)} reads {@code grads()}, updates {@code values()} in place and advances its own
 * state; it never zeroes the gradients (that is the caller's {@link Parameters#zeroGrad()}). The state — the step
 * count and the per-element moment arrays, named as in PyTorch's {@code optimizer.state} ({@code exp_avg},
 * {@code exp_avg_sq}, {@code momentum_buffer}, ...) — can be exported with {@link #state()} and {@link #steps()}
 * and restored with {@link #loadState(long, Map)}, so a resumed run continues exactly.
 *
 * <p>The learning rate is the only mutable hyper-parameter ({@link #setLearningRate(double)}, for schedules);
 * everything else is fixed by the immutable config given at construction. Not thread-safe: one optimizer belongs
 * to one training loop.
 */
public abstract sealed class Optimizer permits Sgd, Adam, AdamW, RmsProp, Adagrad {

    private final int size;
    private final Map<String, float[]> state = new LinkedHashMap<>();
    private double lr;
    private long steps;

    Optimizer(double lr, int size) {
        this.lr = Check.nonNegative("lr", lr);
        this.size = Check.nonNegative("size", size);
    }

    /** Registers one per-element state array (torch's name), filled with {@code initial}. */
    final float[] addState(String name, float initial) {
        float[] a = new float[size];
        if (initial != 0f) java.util.Arrays.fill(a, initial);
        state.put(name, a);
        return a;
    }

    /** The name used by {@link Optimizers#create}: {@code sgd}, {@code adam}, ... */
    public abstract String name();

    /** One update from the current gradients. {@code p} must have the size this optimizer was built for. */
    public final void step(Parameters p) {
        if (p.size() != size) {
            throw new IllegalArgumentException(name() + ": optimizer was built for " + size
                    + " parameters, got a Parameters buffer of " + p.size());
        }
        steps++;
        update(p.values(), p.grads(), steps);
    }

    /**
     * The element loop of one step.
     *
     * @param values [P] parameter values, updated in place
     * @param grads [P] gradients, read only
     * @param step the 1-based number of this step (PyTorch's {@code state['step']} after its increment)
     */
    abstract void update(float[] values, float[] grads, long step);

    /** The learning rate the next {@link #step} will use. */
    public final double learningRate() {
        return lr;
    }

    /** Sets the learning rate for the following steps (what an LR schedule does to a param group). */
    public final void setLearningRate(double lr) {
        this.lr = Check.nonNegative("lr", lr);
    }

    /** Steps taken so far (restored by {@link #loadState}). */
    public final long steps() {
        return steps;
    }

    /** Number of parameters this optimizer updates. */
    public final int size() {
        return size;
    }

    /**
     * A copy of the per-element state arrays, in a fixed order, keyed by PyTorch's state names. Each array has
     * {@link #size()} elements in the layout of {@link Parameters#values()}.
     */
    public final Map<String, float[]> state() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) copy.put(e.getKey(), e.getValue().clone());
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Restores a state exported by {@link #state()} and {@link #steps()} from an optimizer of the same kind and
     * config. The map must hold exactly the keys {@link #state()} returns, each with {@link #size()} elements;
     * nothing is changed if it does not.
     */
    public final void loadState(long steps, Map<String, float[]> saved) {
        if (steps < 0) throw new IllegalArgumentException(name() + " state: steps must be >= 0, got " + steps);
        if (!saved.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(name() + " state: expected arrays " + state.keySet() + ", got "
                    + saved.keySet());
        }
        for (Map.Entry<String, float[]> e : saved.entrySet()) {
            float[] a = e.getValue();
            if (a == null || a.length != size) {
                throw new IllegalArgumentException(name() + " state: " + e.getKey() + " expected " + size
                        + " floats, got " + (a == null ? "null" : a.length));
            }
        }
        for (Map.Entry<String, float[]> e : saved.entrySet()) {
            System.arraycopy(e.getValue(), 0, state.get(e.getKey()), 0, size);
        }
        this.steps = steps;
    }

    @Override
    public String toString() {
        return name() + "(lr=" + lr + ", steps=" + steps + ", size=" + size + ")";
    }
}
