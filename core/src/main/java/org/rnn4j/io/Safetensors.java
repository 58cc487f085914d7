package org.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.rnn4j.tensor.Tensor;

/**
 * Reads and writes the safetensors format, the model file format of rnn4j and of Hugging Face.
 *
 * <p>Layout: an unsigned 64-bit little-endian header size {@code N}; {@code N} bytes of UTF-8 JSON,
 * an object mapping each tensor name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets":
 * [begin, end]}} plus an optional {@code "__metadata__"} object of string to string; then the data
 * buffer. Offsets count from the start of the buffer; data is little-endian, C order; every byte of
 * the buffer belongs to exactly one tensor.
 *
 * <p>Model files arrive from strangers, so the reader trusts nothing: the header length is checked
 * against the file size and a {@value #MAX_HEADER_BYTES}-byte cap before anything is allocated;
 * every field is type-checked; shapes, sizes and offsets are checked for overflow, range, overlap
 * and holes. Memory use is bounded by the file size. Every problem is a {@link FormatException}
 * naming the file, and the tensor where there is one.
 */
public final class Safetensors {
    /** Largest header accepted; real headers are kilobytes, a hostile one could claim exabytes. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    /** Key of the optional string-to-string metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int CHUNK_BYTES = 1 << 16;

    private Safetensors() {}

    /** Reads and validates the whole file; tensor data is loaded into memory. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new FormatException(file, "file is " + size + " bytes, too short for the 8-byte header length"
                        + " that starts a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            // Compared as unsigned: a length with the top bit set is a huge u64, not a negative one.
            if (Long.compareUnsigned(headerLength, size - 8) > 0) {
                throw new FormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " bytes runs past the end of the file (" + size + " bytes, so at most " + (size - 8)
                        + " header bytes); the file is truncated or not a safetensors file");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new FormatException(file, "header length " + headerLength + " bytes exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            readFully(file, channel, ByteBuffer.wrap(headerBytes), 8);
            long bufferStart = 8 + headerLength;
            long bufferLength = size - bufferStart;

            Map<String, Object> header = parseHeader(file, headerBytes);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals(METADATA_KEY)) {
                    metadata = metadata(file, e.getValue());
                } else {
                    entries.add(entry(file, e.getKey(), e.getValue(), bufferLength));
                }
            }
            checkCoverage(file, entries, bufferLength);

            LinkedHashMap<String, SafetensorsFile.Stored> stored = new LinkedHashMap<>();
            for (Entry e : entries) {
                long length = e.end - e.begin;
                if (length > Integer.MAX_VALUE - 8) {
                    throw new FormatException(file, "tensor " + FormatException.quote(e.name) + " has " + length
                            + " bytes; tensors over 2 GiB are not supported");
                }
                byte[] data = new byte[(int) length];
                readFully(file, channel, ByteBuffer.wrap(data), bufferStart + e.begin);
                stored.put(e.name, new SafetensorsFile.Stored(e.dtype, e.shape, data));
            }
            return new SafetensorsFile(file, metadata, stored);
        }
    }

    /**
     * Writes float32 tensors in the map's order, with optional string metadata (null for none),
     * atomically. The header is padded with spaces so the data starts at a multiple of 8 bytes.
     */
    public static void write(Path file, SequencedMap<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, SafetensorsDtype.F32);
    }

    /**
     * As {@link #write(Path, SequencedMap, Map)}, with the tensors stored as {@code storage}, for
     * shipping trained models:
     * <ul>
     *   <li>F32: exact;</li>
     *   <li>F16: IEEE half precision, round to nearest even (half the size, about 3 significant
     *       digits); a value beyond its range (|x| > 65504) is refused naming the tensor rather than
     *       stored as infinity;</li>
     *   <li>I8: a quarter of the size; each tensor of rank >= 2 is quantised row by row (along its
     *       first dimension) to integers in [-127, 127] times the row's scale max|x| / 127, written as
     *       an I8 tensor plus an F32 tensor {@code <name>.scale} of one scale per row (read them back
     *       with {@link SafetensorsFile#dequantized}); smaller tensors (biases) stay F32.</li>
     * </ul>
     */
    public static void write(Path file, SequencedMap<String, Tensor> tensors, Map<String, String> metadata,
                             SafetensorsDtype storage) throws IOException {
        if (storage != SafetensorsDtype.F32 && storage != SafetensorsDtype.F16 && storage != SafetensorsDtype.I8) {
            throw new IllegalArgumentException("storage must be F32, F16 or I8, got " + storage);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata: key and value must not be null, got "
                            + e.getKey() + " = " + e.getValue());
                }
            }
            header.put(METADATA_KEY, metadata);
        }
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("tensor name must not be null");
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved for metadata");
            }
            Tensor t = e.getValue();
            if (t == null) throw new IllegalArgumentException("tensor " + FormatException.quote(name) + " is null");
            if (storage == SafetensorsDtype.I8 && t.shape().length >= 2) {
                Int8Rows q = Int8Rows.quantize(t.data(), t.shape()[0]);
                parts.add(new Part(name, SafetensorsDtype.I8, t.shape(), null, q.values()));
                parts.add(new Part(name + Int8Rows.SCALE_SUFFIX, SafetensorsDtype.F32, new int[] {t.shape()[0]}, q.scales(), null));
            } else {
                SafetensorsDtype d = storage == SafetensorsDtype.F16 ? SafetensorsDtype.F16 : SafetensorsDtype.F32;
                if (d == SafetensorsDtype.F16) requireHalfRange(file, name, t.data());
                parts.add(new Part(name, d, t.shape(), t.data(), null));
            }
        }
        long offset = 0;
        for (Part part : parts) {
            if (header.containsKey(part.name())) {
                throw new IllegalArgumentException("tensor name " + FormatException.quote(part.name()) + " is used twice");
            }
            long bytes = (long) part.dtype().bytes() * (part.floats() != null ? part.floats().length : part.bytes().length);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", part.dtype().name());
            info.put("shape", part.shape());
            info.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(part.name(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            out.write(length.array());
            out.write(headerBytes);
            for (Part part : parts) {
                if (part.bytes() != null) out.write(part.bytes());
                else writeFloats(out, part.floats(), part.dtype() == SafetensorsDtype.F16);
            }
        });
    }

    /** One tensor as it will be written: float values (F32/F16) or raw bytes (I8). */
    private record Part(String name, SafetensorsDtype dtype, int[] shape, float[] floats, byte[] bytes) {}

    private static void requireHalfRange(Path file, String name, float[] data) throws IOException {
        for (int i = 0; i < data.length; i++) {
            if (Float.isFinite(data[i]) && Float.isInfinite(Float.float16ToFloat(Float.floatToFloat16(data[i])))) {
                throw new IOException("refusing to write " + file + ": tensor " + FormatException.quote(name) + " value " + data[i]
                        + " at flat index " + i + " is outside the float16 range (|x| <= 65504)");
            }
        }
    }

    /**
     * Little-endian float32, or float16 with {@code half}, converted through a small buffer rather than one
     * file-sized array.
     */
    static void writeFloats(OutputStream out, float[] data, boolean half) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int width = half ? 2 : 4, perChunk = CHUNK_BYTES / width;
        for (int start = 0; start < data.length; start += perChunk) {
            int count = Math.min(perChunk, data.length - start);
            buf.clear();
            if (half) {
                for (int i = 0; i < count; i++) buf.putShort(Float.floatToFloat16(data[start + i]));
            } else {
                buf.asFloatBuffer().put(data, start, count);
            }
            out.write(buf.array(), 0, count * width);
        }
    }

    // ---------------------------------------------------------------- validation

    private record Entry(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {}

    private static Map<String, Object> parseHeader(Path file, byte[] headerBytes) throws FormatException {
        String text = Json.decodeUtf8(file, "header", headerBytes, 0, headerBytes.length);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonException.DuplicateKey e) {
            throw new FormatException(file, "header names " + FormatException.quote(e.key())
                    + " twice; every tensor name must be unique", e);
        } catch (JsonException e) {
            throw new FormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new FormatException(file, "header must be a JSON object, got " + typeName(parsed));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) map;
        return header;
    }

    private static Map<String, String> metadata(Path file, Object value) throws FormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new FormatException(file, METADATA_KEY + " must be an object of strings, got " + typeName(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new FormatException(file, METADATA_KEY + " value for key " + FormatException.quote((String) e.getKey())
                        + " must be a string, got " + typeName(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(Path file, String name, Object value, long bufferLength) throws FormatException {
        String where = "tensor " + FormatException.quote(name) + ": ";
        if (!(value instanceof Map<?, ?> info)) {
            throw new FormatException(file, where + "expected an object with dtype, shape and data_offsets, got "
                    + typeName(value));
        }
        Object dtypeValue = require(file, where, info, "dtype");
        if (!(dtypeValue instanceof String dtypeName)) {
            throw new FormatException(file, where + "\"dtype\" must be a string, got " + typeName(dtypeValue));
        }
        SafetensorsDtype dtype = SafetensorsDtype.byName(dtypeName);
        if (dtype == null) {
            throw new FormatException(file, where + "unknown dtype " + FormatException.quote(dtypeName)
                    + "; expected one of " + SafetensorsDtype.allNames());
        }

        List<?> shapeList = list(file, where, info, "shape");
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeList.get(i);
            if (!(d instanceof Long dim) || dim < 0) {
                throw new FormatException(file, where + "shape[" + i + "] is " + brief(d)
                        + "; dimensions must be non-negative integers");
            }
            if (dim > Integer.MAX_VALUE) {
                throw new FormatException(file, where + "shape[" + i + "] is " + dim + "; dimensions above 2^31-1 are not supported");
            }
            shape[i] = (int) (long) dim;
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new FormatException(file, where + "shape " + brief(shapeList) + " has more elements than fit in 64 bits");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new FormatException(file, where + "shape " + brief(shapeList) + " of " + dtype + " needs more bytes than fit in 64 bits");
        }

        List<?> offsets = list(file, where, info, "data_offsets");
        if (offsets.size() != 2 || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)
                || begin < 0 || end < 0) {
            throw new FormatException(file, where + "data_offsets must be two non-negative integers [begin, end], got "
                    + brief(offsets));
        }
        String offsetText = "data_offsets [" + begin + ", " + end + "]";
        if (end < begin) {
            throw new FormatException(file, where + offsetText + " end before they begin");
        }
        if (end - begin != bytes) {
            throw new FormatException(file, where + offsetText + " hold " + (end - begin) + " bytes, but "
                    + dtype + " shape " + brief(shapeList) + " needs " + count + " x " + dtype.bytes() + " = " + bytes + " bytes");
        }
        if (end > bufferLength) {
            throw new FormatException(file, where + offsetText + " run past the end of the data buffer ("
                    + bufferLength + " bytes); the file is truncated or the offsets are wrong");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Object require(Path file, String where, Map<?, ?> info, String key) throws FormatException {
        if (!info.containsKey(key)) throw new FormatException(file, where + "missing \"" + key + "\"");
        return info.get(key);
    }

    private static List<?> list(Path file, String where, Map<?, ?> info, String key) throws FormatException {
        Object value = require(file, where, info, key);
        if (!(value instanceof List<?> list)) {
            throw new FormatException(file, where + "\"" + key + "\" must be an array of integers, got " + typeName(value));
        }
        return list;
    }

    /** The buffer must be exactly tiled by the tensors: no byte shared, no byte unowned. */
    private static void checkCoverage(Path file, List<Entry> entries, long bufferLength) throws FormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < expected) {
                throw new FormatException(file, "tensor " + FormatException.quote(e.name) + " (data_offsets [" + e.begin
                        + ", " + e.end + "]) overlaps tensor " + FormatException.quote(previous.name) + " (data_offsets ["
                        + previous.begin + ", " + previous.end + "])");
            }
            if (e.begin > expected) {
                throw new FormatException(file, "bytes [" + expected + ", " + e.begin + ") of the data buffer belong to no tensor"
                        + " (a hole before tensor " + FormatException.quote(e.name) + "); the buffer must be fully indexed");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != bufferLength) {
            throw new FormatException(file, "bytes [" + expected + ", " + bufferLength + ") of the data buffer belong to no tensor"
                    + " (after the last one); the buffer must be fully indexed");
        }
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case String s -> "the string " + FormatException.quote(s);
            case Boolean b -> b.toString();
            default -> "the number " + v;
        };
    }

    /** A JSON value from the header for a message, cut short because hostile arrays can be huge. */
    private static String brief(Object v) {
        String s = Json.write(v);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int read = channel.read(buf, at);
            if (read < 0) throw new FormatException(file, "file ended early at byte " + at + "; it was truncated while being read");
            at += read;
        }
    }
}
