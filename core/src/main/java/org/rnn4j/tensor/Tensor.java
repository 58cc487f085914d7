package org.rnn4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, stored in C (row-major) order.
 *
 * <p>The backing array is exposed on purpose: kernels work on raw {@code float[]} with offsets,
 * and a tensor is only the typed envelope that carries the shape across API boundaries.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[checkedSize(shape)], shape.clone());
    }

    /** Wraps {@code data} (not copied) with the given shape; the sizes must agree. */
    public static Tensor of(float[] data, int... shape) {
        int size = checkedSize(shape);
        if (data.length != size) {
            throw new IllegalArgumentException("data has " + data.length + " values, shape "
                    + shapeString(shape) + " needs " + size);
        }
        return new Tensor(data, shape.clone());
    }

    /** Product of the dimensions, checked for negative sizes and int overflow. */
    public static int checkedSize(int... shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) size;
    }

    public static String shapeString(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** The backing array, in C order. Writes are visible to the tensor. */
    public float[] data() {
        return data;
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for tensor of shape " + shapeString(shape));
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + shapeString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Same data, new shape with the same number of elements. */
    public Tensor reshape(int... newShape) {
        return of(data, newShape);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    public boolean sameShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** Throws with a message naming {@code what} and both shapes unless the shape is {@code expected}. */
    public void requireShape(String what, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new ShapeException(what + ": expected " + shapeString(expected) + ", got " + shapeString(shape));
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString(shape);
    }
}
