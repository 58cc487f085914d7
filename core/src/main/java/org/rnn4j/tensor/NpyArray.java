package org.rnn4j.tensor;

import java.util.Arrays;

/**
 * An array read from or written to a NumPy {@code .npy} file: element type, shape (C order) and
 * the values in the Java array that holds them exactly.
 *
 * <p>The backing array is {@code float[]} for {@link Dtype#FLOAT32}, {@code double[]} for {@link
 * Dtype#FLOAT64}, {@code long[]} for {@link Dtype#INT64}, and {@code int[]} for {@link Dtype#INT32},
 * {@link Dtype#INT8}, {@link Dtype#UINT8} and {@link Dtype#BOOL} (0 or 1). It is exposed by {@link
 * #data()} without copying, like {@link Tensor#data()}; the {@code to...} methods always copy.
 *
 * <p>A final class rather than a record: a record's {@code equals} would compare the arrays by
 * identity, and the constructor needs to check that data type, length and value ranges agree.
 */
public final class NpyArray {

    /** Element types rnn4j reads and writes, with their NumPy descriptor. */
    public enum Dtype {
        FLOAT32("<f4", 4, "float32"),
        FLOAT64("<f8", 8, "float64"),
        INT32("<i4", 4, "int32"),
        INT64("<i8", 8, "int64"),
        INT8("|i1", 1, "int8"),
        UINT8("|u1", 1, "uint8"),
        BOOL("|b1", 1, "bool");

        private final String descr;
        private final int bytes;
        private final String numpyName;

        Dtype(String descr, int bytes, String numpyName) {
            this.descr = descr;
            this.bytes = bytes;
            this.numpyName = numpyName;
        }

        /** The descriptor NumPy writes in the header, such as {@code "<f4"}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        /** NumPy's name, such as {@code "float32"}. */
        public String numpyName() {
            return numpyName;
        }

        public boolean isInteger() {
            return this != FLOAT32 && this != FLOAT64;
        }

        Class<?> arrayClass() {
            return switch (this) {
                case FLOAT32 -> float[].class;
                case FLOAT64 -> double[].class;
                case INT64 -> long[].class;
                case INT32, INT8, UINT8, BOOL -> int[].class;
            };
        }
    }

    private final Dtype dtype;
    private final int[] shape;
    private final Object data;

    private NpyArray(Dtype dtype, Object data, int[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /**
     * Wraps {@code data} (not copied) as an array of the given type and shape. The array class must
     * match the dtype (see the class comment), its length the shape, and for INT8, UINT8 and BOOL
     * every value must be in range.
     */
    public static NpyArray of(Dtype dtype, Object data, int... shape) {
        if (dtype == null || data == null) throw new IllegalArgumentException("dtype and data must not be null");
        if (data.getClass() != dtype.arrayClass()) {
            throw new IllegalArgumentException(dtype.numpyName() + " data must be a " + dtype.arrayClass().getSimpleName()
                    + ", got " + data.getClass().getSimpleName());
        }
        int size = Tensor.checkedSize(shape);
        int length = java.lang.reflect.Array.getLength(data);
        if (length != size) {
            throw new IllegalArgumentException("data has " + length + " values, shape " + Tensor.shapeString(shape) + " needs " + size);
        }
        if (data instanceof int[] ints && dtype != Dtype.INT32) {
            int min = dtype == Dtype.INT8 ? -128 : 0;
            int max = dtype == Dtype.INT8 ? 127 : dtype == Dtype.UINT8 ? 255 : 1;
            for (int i = 0; i < ints.length; i++) {
                if (ints[i] < min || ints[i] > max) {
                    throw new IllegalArgumentException(dtype.numpyName() + " value at flat index " + i + " must be in ["
                            + min + ", " + max + "], got " + ints[i]);
                }
            }
        }
        return new NpyArray(dtype, data, shape);
    }

    public static NpyArray ofFloats(float[] data, int... shape) {
        return of(Dtype.FLOAT32, data, shape);
    }

    public static NpyArray ofDoubles(double[] data, int... shape) {
        return of(Dtype.FLOAT64, data, shape);
    }

    public static NpyArray ofInts(int[] data, int... shape) {
        return of(Dtype.INT32, data, shape);
    }

    public static NpyArray ofLongs(long[] data, int... shape) {
        return of(Dtype.INT64, data, shape);
    }

    public Dtype dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements: the product of the shape, 1 for a scalar. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The backing array, not copied: float[], double[], long[] or int[] depending on {@link #dtype()}. */
    public Object data() {
        return data;
    }

    /** A float32 tensor of the same shape; float64 and int64 values are rounded to the nearest float. */
    public Tensor toTensor() {
        return Tensor.of(toFloats(), shape);
    }

    /** The values as floats (a copy); float64 and large integers are rounded. */
    public float[] toFloats() {
        return switch (data) {
            case float[] f -> f.clone();
            case double[] d -> {
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
                yield out;
            }
            case long[] l -> {
                float[] out = new float[l.length];
                for (int i = 0; i < l.length; i++) out[i] = l[i];
                yield out;
            }
            case int[] n -> {
                float[] out = new float[n.length];
                for (int i = 0; i < n.length; i++) out[i] = n[i];
                yield out;
            }
            default -> throw new IllegalStateException("unexpected data " + data.getClass());
        };
    }

    /** The values as doubles (a copy); exact except int64 beyond 2^53. */
    public double[] toDoubles() {
        return switch (data) {
            case double[] d -> d.clone();
            case float[] f -> {
                double[] out = new double[f.length];
                for (int i = 0; i < f.length; i++) out[i] = f[i];
                yield out;
            }
            case long[] l -> {
                double[] out = new double[l.length];
                for (int i = 0; i < l.length; i++) out[i] = l[i];
                yield out;
            }
            case int[] n -> {
                double[] out = new double[n.length];
                for (int i = 0; i < n.length; i++) out[i] = n[i];
                yield out;
            }
            default -> throw new IllegalStateException("unexpected data " + data.getClass());
        };
    }

    /** The values of an integer (or bool) array as longs (a copy). Float arrays are refused. */
    public long[] toLongs() {
        requireInteger("toLongs");
        if (data instanceof long[] l) return l.clone();
        int[] n = (int[]) data;
        long[] out = new long[n.length];
        for (int i = 0; i < n.length; i++) out[i] = n[i];
        return out;
    }

    /** The values of an integer (or bool) array as ints (a copy); int64 values must fit. */
    public int[] toInts() {
        requireInteger("toInts");
        if (data instanceof int[] n) return n.clone();
        long[] l = (long[]) data;
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) {
                throw new IllegalStateException("int64 value " + l[i] + " at flat index " + i + " does not fit in an int; use toLongs()");
            }
            out[i] = (int) l[i];
        }
        return out;
    }

    private void requireInteger(String method) {
        if (!dtype.isInteger()) {
            throw new IllegalStateException("array has dtype " + dtype.numpyName() + "; " + method
                    + "() needs an integer dtype (int32, int64, int8, uint8 or bool); use toDoubles() or toTensor()");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray other)) return false;
        return dtype == other.dtype && Arrays.equals(shape, other.shape) && Arrays.deepEquals(new Object[] {data}, new Object[] {other.data});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.deepHashCode(new Object[] {data});
    }

    @Override
    public String toString() {
        return "NpyArray(" + dtype.numpyName() + ", " + Tensor.shapeString(shape) + ")";
    }
}
