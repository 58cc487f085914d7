package org.rnn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.stream.Collectors;
import org.rnn4j.tensor.Tensor;

/**
 * The validated contents of a safetensors file: metadata, and tensors in file order. Immutable;
 * every accessor that returns an array returns a fresh copy the caller may change.
 *
 * <p>{@link #tensor(String)} converts any dtype to float32 (F64 and I64 round, F16, BF16 and F8
 * widen exactly); {@link #doubles(String)}, {@link #longs(String)} and {@link #ints(String)} give
 * exact values where the dtype allows.
 */
public final class SafetensorsFile {
    /** One tensor as stored: little-endian bytes in C order. */
    record Stored(SafetensorsDtype dtype, int[] shape, byte[] data) {
        int count() {
            return data.length / dtype.bytes();
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private final Path path;
    private final Map<String, String> metadata;
    private final Map<String, Stored> tensors;

    SafetensorsFile(Path path, Map<String, String> metadata, LinkedHashMap<String, Stored> tensors) {
        this.path = path;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} strings in file order; empty if the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in the order of the header. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public int[] shape(String name) {
        return get(name).shape().clone();
    }

    /** The dtype as written in the header: "F32", "BF16", "I64", ... */
    public String dtype(String name) {
        return get(name).dtype().name();
    }

    /** The tensor as float32, converted from whatever dtype the file holds. */
    public Tensor tensor(String name) {
        Stored s = get(name);
        float[] out = new float[s.count()];
        ByteBuffer bb = s.buffer();
        if (s.dtype() == SafetensorsDtype.F32) {
            bb.asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = floatAt(bb, s.dtype(), i);
        }
        return Tensor.of(out, s.shape());
    }

    /** Every tensor as float32, in file order. */
    public SequencedMap<String, Tensor> tensors() {
        SequencedMap<String, Tensor> all = new LinkedHashMap<>();
        for (String name : tensors.keySet()) all.put(name, tensor(name));
        return all;
    }

    /** The values as doubles: exact for every dtype except I64/U64 beyond 2^53. */
    public double[] doubles(String name) {
        Stored s = get(name);
        double[] out = new double[s.count()];
        ByteBuffer bb = s.buffer();
        for (int i = 0; i < out.length; i++) {
            out[i] = s.dtype() == SafetensorsDtype.F64 ? bb.getDouble(8 * i)
                    : s.dtype().floating() ? floatAt(bb, s.dtype(), i) : longAt(bb, s.dtype(), i, name);
        }
        return out;
    }

    /**
     * The tensor as float32, undoing {@link Int8Rows} quantisation: an I8 tensor with a companion
     * {@code <name>.scale} tensor (one F32 scale per row of the first dimension) is dequantised; any
     * other tensor is {@link #tensor(String)}.
     */
    public Tensor dequantized(String name) {
        Stored s = get(name);
        String scaleName = name + Int8Rows.SCALE_SUFFIX;
        if (s.dtype() != SafetensorsDtype.I8 || !tensors.containsKey(scaleName)) return tensor(name);
        float[] scales = tensor(scaleName).data();
        int rows = s.shape().length == 0 ? 1 : s.shape()[0];
        if (scales.length != rows) {
            throw new IllegalStateException(path + ": tensor " + FormatException.quote(scaleName) + " has " + scales.length
                    + " scales, expected one per row of " + FormatException.quote(name) + " (" + rows + ")");
        }
        return Tensor.of(new Int8Rows(s.data(), scales).dequantize(), s.shape().clone());
    }

    /** The values of an integer or BOOL tensor, exactly; float tensors are refused. */
    public long[] longs(String name) {
        Stored s = get(name);
        requireInteger(name, s, "longs");
        long[] out = new long[s.count()];
        ByteBuffer bb = s.buffer();
        for (int i = 0; i < out.length; i++) out[i] = longAt(bb, s.dtype(), i, name);
        return out;
    }

    /** The values of an integer or BOOL tensor; every value must fit in an int. */
    public int[] ints(String name) {
        Stored s = get(name);
        requireInteger(name, s, "ints");
        int[] out = new int[s.count()];
        ByteBuffer bb = s.buffer();
        for (int i = 0; i < out.length; i++) {
            long v = longAt(bb, s.dtype(), i, name);
            if (v != (int) v) {
                throw new IllegalStateException(path + ": tensor " + FormatException.quote(name) + ": " + s.dtype()
                        + " value " + v + " at flat index " + i + " does not fit in an int; use longs()");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private void requireInteger(String name, Stored s, String method) {
        if (s.dtype().floating()) {
            throw new IllegalStateException(path + ": tensor " + FormatException.quote(name) + " has dtype " + s.dtype()
                    + "; " + method + "() needs an integer or BOOL dtype; use tensor() or doubles()");
        }
    }

    private Stored get(String name) {
        Stored s = tensors.get(name);
        if (s == null) {
            String known = tensors.keySet().stream().limit(20).map(FormatException::quote).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(path + ": no tensor named " + (name == null ? "null" : FormatException.quote(name))
                    + "; the file has " + tensors.size() + (tensors.size() == 1 ? " tensor" : " tensors")
                    + (known.isEmpty() ? "" : ": " + known) + (tensors.size() > 20 ? ", ..." : ""));
        }
        return s;
    }

    private static float floatAt(ByteBuffer bb, SafetensorsDtype dtype, int i) {
        return switch (dtype) {
            case F32 -> bb.getFloat(4 * i);
            case F64 -> (float) bb.getDouble(8 * i);
            case F16 -> Float.float16ToFloat(bb.getShort(2 * i));
            // bfloat16 is the upper half of a float32.
            case BF16 -> Float.intBitsToFloat((bb.getShort(2 * i) & 0xffff) << 16);
            // E5M2 is the upper byte of a float16.
            case F8_E5M2 -> Float.float16ToFloat((short) ((bb.get(i) & 0xff) << 8));
            case F8_E4M3 -> e4m3fn(bb.get(i) & 0xff);
            case BOOL -> bb.get(i) != 0 ? 1f : 0f;
            case U8 -> bb.get(i) & 0xff;
            case I8 -> bb.get(i);
            case I16 -> bb.getShort(2 * i);
            case U16 -> bb.getShort(2 * i) & 0xffff;
            case I32 -> bb.getInt(4 * i);
            case U32 -> bb.getInt(4 * i) & 0xffffffffL;
            case I64 -> bb.getLong(8 * i);
            case U64 -> unsignedToFloat(bb.getLong(8 * i));
        };
    }

    private long longAt(ByteBuffer bb, SafetensorsDtype dtype, int i, String name) {
        return switch (dtype) {
            case BOOL -> bb.get(i) != 0 ? 1 : 0;
            case U8 -> bb.get(i) & 0xff;
            case I8 -> bb.get(i);
            case I16 -> bb.getShort(2 * i);
            case U16 -> bb.getShort(2 * i) & 0xffff;
            case I32 -> bb.getInt(4 * i);
            case U32 -> bb.getInt(4 * i) & 0xffffffffL;
            case I64 -> bb.getLong(8 * i);
            case U64 -> {
                long v = bb.getLong(8 * i);
                if (v < 0) {
                    throw new IllegalStateException(path + ": tensor " + FormatException.quote(name) + ": U64 value "
                            + Long.toUnsignedString(v) + " at flat index " + i + " does not fit in a long");
                }
                yield v;
            }
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        };
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) return v;
        // Halve (keeping the lowest bit so rounding stays correct), convert, double.
        return ((v >>> 1) | (v & 1)) * 2f;
    }

    /** float8 e4m3fn: bias 7, three mantissa bits, no infinities, S.1111.111 is NaN. */
    static float e4m3fn(int bits) {
        int exponent = (bits >>> 3) & 0xf;
        int mantissa = bits & 0x7;
        float magnitude;
        if (exponent == 0xf && mantissa == 0x7) {
            return Float.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-9f;
        } else {
            magnitude = Math.scalb(1f + mantissa / 8f, exponent - 7);
        }
        return (bits & 0x80) != 0 ? -magnitude : magnitude;
    }
}
