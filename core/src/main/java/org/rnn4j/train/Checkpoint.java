package org.rnn4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.rnn4j.nn.Parameters;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;

/**
 * Everything a training loop needs to continue exactly where it was: named float arrays (model
 * parameters, optimizer moments), whole numbers (step, epoch, position in the epoch), doubles
 * (learning rate, running loss sums, best validation loss — stored bit for bit, infinities
 * included), generator states, and small JSON values (a schedule's state, early-stopping counters).
 *
 * <p>A loop fills one with {@code put...} calls and reads it back with the matching getters; the
 * getters throw {@link IllegalArgumentException} naming the missing entry, so a checkpoint written by
 * a different loop is refused rather than half-restored. {@link Checkpointer} writes it to disk.
 *
 * <p>Helpers for the usual pieces keep a loop's code short:
 *
 * <pre>{@code
 * Checkpoint ck = new Checkpoint(step)
 *         .putModel(model.parameters())        // "model/<name>" for every parameter
 *         .putOptimizer(optimizer)             // moments, step count and learning rate
 *         .putRng("dropout", dropoutRng)
 *         .putLong("epoch", epoch).putLong("batch", batchInEpoch);
 * // ... and on resume:
 * ck.restoreModel(model.parameters());
 * ck.restoreOptimizer(optimizer);
 * ck.restoreRng("dropout", dropoutRng);
 * int epoch = ck.getInt("epoch");
 * }</pre>
 *
 * <p>Arrays are copied in and out, so a checkpoint is a snapshot that later training steps do not
 * change. Not thread-safe.
 */
public final class Checkpoint {
    /** Prefix of the model parameters stored by {@link #putModel}. */
    public static final String MODEL_PREFIX = "model/";
    /** Prefix of the optimizer state arrays stored by {@link #putOptimizer}. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";

    private final long step;
    private final SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
    private final SequencedMap<String, Long> longs = new LinkedHashMap<>();
    private final SequencedMap<String, Double> doubles = new LinkedHashMap<>();
    private final SequencedMap<String, Long> rngs = new LinkedHashMap<>();
    private final SequencedMap<String, Object> json = new LinkedHashMap<>();

    /** An empty checkpoint of the state after {@code step} training steps. */
    public Checkpoint(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        this.step = step;
    }

    /** The number of training steps taken when this was made; files are named by it. */
    public long step() {
        return step;
    }

    // ---------------------------------------------------------------- arrays

    /** Stores a copy of {@code values} with the given shape (none = a vector). */
    public Checkpoint putArray(String name, float[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : shape;
        arrays.put(key(name), Tensor.of(values.clone(), s));
        return this;
    }

    /** Stores a copy of {@code t}. */
    public Checkpoint putArray(String name, Tensor t) {
        arrays.put(key(name), Tensor.of(t.data().clone(), t.shape()));
        return this;
    }

    /** A copy of the named array's values. */
    public float[] getArray(String name) {
        return array(name).data().clone();
    }

    /** The named array's shape. */
    public int[] arrayShape(String name) {
        return array(name).shape();
    }

    /** Copies the named array into {@code into}, whose length must match exactly. */
    public void copyArray(String name, float[] into) {
        float[] src = array(name).data();
        if (src.length != into.length) {
            throw new IllegalArgumentException("checkpoint array " + name + " has " + src.length + " values, expected "
                    + into.length);
        }
        System.arraycopy(src, 0, into, 0, src.length);
    }

    public boolean hasArray(String name) {
        return arrays.containsKey(name);
    }

    /** Array names in insertion order. */
    public List<String> arrayNames() {
        return List.copyOf(arrays.keySet());
    }

    // ---------------------------------------------------------------- numbers

    public Checkpoint putLong(String name, long value) {
        longs.put(key(name), value);
        return this;
    }

    public long getLong(String name) {
        return need(longs, name, "whole number");
    }

    /** A stored long that must fit in an int (epoch, batch index, counters). */
    public int getInt(String name) {
        long v = getLong(name);
        if (v != (int) v) throw new IllegalArgumentException("checkpoint value " + name + " = " + v + " does not fit in an int");
        return (int) v;
    }

    public boolean hasLong(String name) {
        return longs.containsKey(name);
    }

    /** Stores a double exactly (bit for bit), including NaN and infinities. */
    public Checkpoint putDouble(String name, double value) {
        doubles.put(key(name), value);
        return this;
    }

    public double getDouble(String name) {
        return need(doubles, name, "number");
    }

    public boolean hasDouble(String name) {
        return doubles.containsKey(name);
    }

    // ---------------------------------------------------------------- generators

    /** Stores the whole state of {@code rng}; {@link #restoreRng} puts it back. */
    public Checkpoint putRng(String name, Rng rng) {
        rngs.put(key(name), rng.state());
        return this;
    }

    /** Sets {@code rng} to the stored state, so it continues exactly as the saved one would have. */
    public void restoreRng(String name, Rng rng) {
        rng.setState(need(rngs, name, "generator state"));
    }

    /** A new generator in the stored state. */
    public Rng getRng(String name) {
        Rng r = new Rng(0);
        restoreRng(name, r);
        return r;
    }

    // ---------------------------------------------------------------- small JSON values

    /**
     * Stores a small JSON value: a Map, List, String, Long/Integer, finite Double or Boolean, as
     * {@link org.rnn4j.io.Json} writes them. Meant for settings and small states (a plateau
     * scheduler's counters, a list of per-stream positions); large arrays belong in {@link #putArray}.
     */
    public Checkpoint putJson(String name, Object value) {
        json.put(key(name), value);
        return this;
    }

    /** The stored JSON value as {@link org.rnn4j.io.Json#parse} returns it (numbers as Long or Double). */
    public Object getJson(String name) {
        if (!json.containsKey(name)) throw missing(name, "JSON value");
        return json.get(name);
    }

    public boolean hasJson(String name) {
        return json.containsKey(name);
    }

    /** Stores a small int array (positions, counters) as JSON. */
    public Checkpoint putInts(String name, int[] values) {
        List<Object> list = new ArrayList<>(values.length);
        for (int v : values) list.add((long) v);
        return putJson(name, list);
    }

    public int[] getInts(String name) {
        if (!(getJson(name) instanceof List<?> list)) {
            throw new IllegalArgumentException("checkpoint value " + name + " is not an array of integers");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.longValue() != n.intValue() || n.doubleValue() != n.longValue()) {
                throw new IllegalArgumentException("checkpoint value " + name + "[" + i + "] is " + list.get(i) + ", not an int");
            }
            out[i] = n.intValue();
        }
        return out;
    }

    // ---------------------------------------------------------------- models and optimizers

    /** Stores every parameter of {@code params} as {@code model/<name>} with its shape. */
    public Checkpoint putModel(Parameters params) {
        for (Parameters.Param p : params.list()) arrays.put(MODEL_PREFIX + p.name(), params.value(p.name()));
        return this;
    }

    /**
     * Copies the stored parameters into {@code params}. Names and shapes must match exactly (same
     * model config), and nothing is changed unless they all do.
     */
    public void restoreModel(Parameters params) {
        List<String> stored = arrays.keySet().stream().filter(k -> k.startsWith(MODEL_PREFIX))
                .map(k -> k.substring(MODEL_PREFIX.length())).toList();
        List<String> expected = params.list().stream().map(Parameters.Param::name).toList();
        if (!stored.equals(expected)) {
            throw new IllegalArgumentException("checkpoint holds model parameters " + stored + ", this model has " + expected);
        }
        for (Parameters.Param p : params.list()) {
            Tensor t = arrays.get(MODEL_PREFIX + p.name());
            if (!t.sameShape(p.shape())) {
                throw new IllegalArgumentException("checkpoint parameter " + p.name() + " has shape "
                        + Tensor.shapeString(t.shape()) + ", this model has " + Tensor.shapeString(p.shape()));
            }
        }
        for (Parameters.Param p : params.list()) params.set(p.name(), arrays.get(MODEL_PREFIX + p.name()));
    }

    /** Stores the optimizer's kind, step count, learning rate and moment arrays. */
    public Checkpoint putOptimizer(Optimizer opt) {
        json.put("optimizer.name", opt.name());
        longs.put("optimizer.steps", opt.steps());
        doubles.put("optimizer.lr", opt.learningRate());
        for (Map.Entry<String, float[]> e : opt.state().entrySet()) {
            arrays.put(OPTIMIZER_PREFIX + e.getKey(), Tensor.of(e.getValue(), e.getValue().length));
        }
        return this;
    }

    /**
     * Restores the state stored by {@link #putOptimizer} into an optimizer of the same kind and size,
     * learning rate included (it may have been lowered by a schedule or the divergence guard).
     */
    public void restoreOptimizer(Optimizer opt) {
        Object name = getJson("optimizer.name");
        if (!opt.name().equals(name)) {
            throw new IllegalArgumentException("checkpoint holds the state of optimizer " + name + ", this run uses " + opt.name());
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                state.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue().data().clone());
            }
        }
        opt.loadState(getLong("optimizer.steps"), state);
        opt.setLearningRate(getDouble("optimizer.lr"));
    }

    // ---------------------------------------------------------------- for Checkpointer

    SequencedMap<String, Tensor> arrays() {
        return Collections.unmodifiableSequencedMap(arrays);
    }

    SequencedMap<String, Long> longs() {
        return Collections.unmodifiableSequencedMap(longs);
    }

    SequencedMap<String, Double> doubles() {
        return Collections.unmodifiableSequencedMap(doubles);
    }

    SequencedMap<String, Long> rngs() {
        return Collections.unmodifiableSequencedMap(rngs);
    }

    SequencedMap<String, Object> json() {
        return Collections.unmodifiableSequencedMap(json);
    }

    /** Puts an array as read from a file, without copying. */
    void rawArray(String name, Tensor t) {
        arrays.put(name, t);
    }

    void rawRng(String name, long state) {
        rngs.put(name, state);
    }

    private Tensor array(String name) {
        Tensor t = arrays.get(name);
        if (t == null) throw missing(name, "array");
        return t;
    }

    private static <V> V need(Map<String, V> map, String name, String what) {
        V v = map.get(name);
        if (v == null) throw missing(name, what);
        return v;
    }

    private static IllegalArgumentException missing(String name, String what) {
        return new IllegalArgumentException("checkpoint has no " + what + " named '" + name
                + "'; it was written by a different training command or rnn4j version");
    }

    private static String key(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("checkpoint entry name must not be empty");
        return name;
    }
}
