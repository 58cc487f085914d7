package org.rnn4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * All trainable parameters of a model in one flat buffer, with named views.
 *
 * <p>Values and gradients share one layout, so optimizers and clipping are single flat loops and
 * optimizer state (moments) is just more arrays of {@link #size()} floats. Names follow PyTorch's
 * {@code state_dict} keys ({@code rnn.weight_ih_l0}, {@code head.bias}, ...).
 */
public final class Parameters {

    /** One named view into the flat buffers: elements {@code [offset, offset + size)}. */
    public record Param(String name, int[] shape, int offset, int size) {
        public Param {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    private final Map<String, Param> byName;
    private final List<Param> params;
    private final float[] values;
    private final float[] grads;

    private Parameters(List<Param> params, int total) {
        this.params = Collections.unmodifiableList(params);
        this.byName = new LinkedHashMap<>();
        for (Param p : params) byName.put(p.name(), p);
        this.values = new float[total];
        this.grads = new float[total];
    }

    /** Collects parameter declarations in order, then allocates the buffers once. */
    public static final class Builder {
        private final List<Param> params = new ArrayList<>();
        private final Map<String, Param> seen = new LinkedHashMap<>();
        private long total;

        public Param add(String name, int... shape) {
            if (seen.containsKey(name)) throw new IllegalArgumentException("duplicate parameter name " + name);
            int size = Tensor.checkedSize(shape);
            if (total + size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("model has more than 2^31 parameters");
            Param p = new Param(name, shape, (int) total, size);
            total += size;
            params.add(p);
            seen.put(name, p);
            return p;
        }

        public Parameters build() {
            return new Parameters(new ArrayList<>(params), (int) total);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Flat parameter values; views are at {@link Param#offset()}. */
    public float[] values() {
        return values;
    }

    /** Flat gradients, same layout as {@link #values()}. Backward passes add into it. */
    public float[] grads() {
        return grads;
    }

    public int size() {
        return values.length;
    }

    public List<Param> list() {
        return params;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Param get(String name) {
        Param p = byName.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter named " + name + "; have " + byName.keySet());
        return p;
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grads, 0f);
    }

    /** A copy of one parameter's values as a tensor. */
    public Tensor value(String name) {
        Param p = get(name);
        float[] out = new float[p.size()];
        System.arraycopy(values, p.offset(), out, 0, p.size());
        return Tensor.of(out, p.shape());
    }

    /** A copy of one parameter's gradient as a tensor. */
    public Tensor grad(String name) {
        Param p = get(name);
        float[] out = new float[p.size()];
        System.arraycopy(grads, p.offset(), out, 0, p.size());
        return Tensor.of(out, p.shape());
    }

    /** Copies {@code t} into the named parameter; the shape must match exactly. */
    public void set(String name, Tensor t) {
        Param p = get(name);
        t.requireShape(name, p.shape());
        System.arraycopy(t.data(), 0, values, p.offset(), p.size());
    }
}
