package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Tensor;

/**
 * Safetensors reading and writing, against bytes laid out by hand from the format specification
 * (github.com/huggingface/safetensors, "Format"), and every kind of malformed header we can think of.
 */
class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file from a header string (its length prefixed, no padding) and raw data bytes. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    static byte[] file(long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(headerLength).put(header).put(data).array();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    // ------------------------------------------------------------ known bytes

    private static final String KNOWN_HEADER = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand-made\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[22,26]},"
            + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[26,34]},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[34,50]},"
            + "\"n\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[50,54]},"
            + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[54,56]},"
            + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[56,58]},"
            + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[58,58]},"
            + "\"f8\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[58,62]},"
            + "\"g8\":{\"dtype\":\"F8_E5M2\",\"shape\":[2],\"data_offsets\":[62,64]}}  ";
    private static final String KNOWN_DATA =
            "0000803f 000000c0 0000003f 00004040" // w: 1, -2, 0.5, 3
            + "003c 00c0 ff7b" // h: 1, -2, 65504
            + "803f 00bf" // b: 1, -0.5
            + "0000000000000a40" // s: 3.25
            + "0000000000010000 ffffffffffffffff" // ids: 2^40, -1
            + "f9ffffff" // n: -7
            + "0100" // m: true, false
            + "ff03" // u: 255, 3
            + "38 c0 7e 01" // f8 (e4m3fn): 1, -2, 448, 2^-9
            + "3c c0"; // g8 (e5m2): 1, -2

    @Test
    void readsAFileLaidOutByHandFromTheSpec() throws IOException {
        Path p = write("known.safetensors", file(KNOWN_HEADER, hex(KNOWN_DATA)));
        SafetensorsFile f = Safetensors.read(p);
        assertEquals(Map.of("format", "pt", "note", "hand-made"), f.metadata());
        assertEquals(List.of("w", "h", "b", "s", "ids", "n", "m", "u", "e", "f8", "g8"), List.copyOf(f.names()));
        assertArrayEquals(new int[] {2, 2}, f.shape("w"));
        assertEquals("F32", f.dtype("w"));
        assertArrayEquals(new float[] {1, -2, 0.5f, 3}, f.tensor("w").data());
        assertArrayEquals(new int[] {2, 2}, f.tensor("w").shape());
        assertEquals("F16", f.dtype("h"));
        assertArrayEquals(new float[] {1, -2, 65504}, f.tensor("h").data());
        assertArrayEquals(new float[] {1, -0.5f}, f.tensor("b").data());
        assertArrayEquals(new int[0], f.shape("s"));
        assertArrayEquals(new double[] {3.25}, f.doubles("s"));
        assertArrayEquals(new float[] {3.25f}, f.tensor("s").data());
        assertArrayEquals(new long[] {1L << 40, -1}, f.longs("ids"));
        assertArrayEquals(new float[] {1L << 40, -1}, f.tensor("ids").data());
        assertArrayEquals(new int[] {-7}, f.ints("n"));
        assertArrayEquals(new long[] {1, 0}, f.longs("m"));
        assertArrayEquals(new int[] {255, 3}, f.ints("u"));
        assertArrayEquals(new int[] {0, 3}, f.tensor("e").shape());
        assertArrayEquals(new float[] {1, -2, 448, 0x1p-9f}, f.tensor("f8").data());
        assertArrayEquals(new float[] {1, -2}, f.tensor("g8").data());
        assertEquals(11, f.tensors().size());
    }

    @Test
    void accessorsRefuseWhatTheyCannotDo() throws IOException {
        Path p = write("known.safetensors", file(KNOWN_HEADER, hex(KNOWN_DATA)));
        SafetensorsFile f = Safetensors.read(p);
        IllegalStateException longs = assertThrows(IllegalStateException.class, () -> f.longs("w"));
        assertTrue(longs.getMessage().contains("tensor \"w\" has dtype F32; longs() needs an integer or BOOL dtype"), longs.getMessage());
        IllegalStateException ints = assertThrows(IllegalStateException.class, () -> f.ints("ids"));
        assertTrue(ints.getMessage().contains("I64 value 1099511627776 at flat index 0 does not fit in an int"), ints.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> f.tensor("rnn.weight_ih_l0"));
        assertTrue(missing.getMessage().startsWith(p + ": no tensor named \"rnn.weight_ih_l0\"; the file has 11 tensors: \"w\", \"h\""),
                missing.getMessage());
    }

    @Test
    void writesExactlyTheSpecifiedBytes() throws IOException {
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.of(new float[] {1, 2}, 2));
        tensors.put("b", Tensor.of(new float[] {0.5f}));
        Path p = dir.resolve("ours.safetensors");
        Safetensors.write(p, tensors, Map.of("format", "pt"));
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        byte[] expected = file(padded, hex("0000803f 00000040 0000003f"));
        assertArrayEquals(expected, Files.readAllBytes(p));
        assertEquals(0, (Files.size(p) - 12) % 8, "data starts 8-byte aligned");
    }

    @Test
    void roundTripsShapesAndKeepsOrder() throws IOException {
        Random random = new Random(7);
        int[][] shapes = {{}, {0}, {3}, {2, 0}, {2, 3}, {2, 1, 3}, {1, 2, 3, 2}, {4, 5}};
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            float[] data = new float[Tensor.checkedSize(shapes[i])];
            for (int j = 0; j < data.length; j++) data[j] = (float) random.nextGaussian();
            tensors.put("z" + (shapes.length - i) + ".weight", Tensor.of(data, shapes[i]));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("kind", "lstm");
        metadata.put("vocab", Json.write(List.of("a", "\n", "ü", "\uD83D\uDE00")));
        Path p = dir.resolve("rt.safetensors");
        Safetensors.write(p, tensors, metadata);
        SafetensorsFile f = Safetensors.read(p);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(f.names()));
        assertEquals(metadata, f.metadata());
        for (var e : tensors.entrySet()) {
            assertArrayEquals(e.getValue().shape(), f.shape(e.getKey()), e.getKey());
            assertArrayEquals(e.getValue().data(), f.tensor(e.getKey()).data(), e.getKey());
        }
        Safetensors.write(p, new LinkedHashMap<>(), null);
        SafetensorsFile empty = Safetensors.read(p);
        assertTrue(empty.names().isEmpty());
        assertTrue(empty.metadata().isEmpty());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList(), "no temporary files left behind");
        }
    }

    @Test
    void writerRefusesBadNames() {
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("__metadata__", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(dir.resolve("x.safetensors"), tensors, null));
        assertTrue(e.getMessage().contains("reserved for metadata"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.safetensors")));
    }

    // ------------------------------------------------------------ hostile files

    private FormatException rejects(String name, byte[] bytes, String... fragments) throws IOException {
        Path p = write(name, bytes);
        return rejects(p, fragments);
    }

    private static FormatException rejects(Path p, String... fragments) {
        FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), () -> "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "expected \"" + f + "\" in: " + e.getMessage());
        }
        return e;
    }

    private static String one(String info) {
        return "{\"t\":" + info + "}";
    }

    @Test
    void writesFloat16WithKnownBitsAndRefusesOutOfRangeValues() throws IOException {
        // IEEE half bits: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff (largest), 1/3 rounds to 0x3555;
        // 2^-24 is the smallest subnormal (0x0001).
        SequencedMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1f, -2f, 65504f, 1f / 3, 0x1p-24f}, 5));
        Path p = dir.resolve("half.safetensors");
        Safetensors.write(p, t, Map.of("k", "v"), SafetensorsDtype.F16);
        byte[] bytes = Files.readAllBytes(p);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(8 + headerLength + 10, bytes.length);
        byte[] data = java.util.Arrays.copyOfRange(bytes, (int) (8 + headerLength), bytes.length);
        assertArrayEquals(hex("003c 00c0 ff7b 5535 0100"), data);
        SafetensorsFile f = Safetensors.read(p);
        assertEquals("F16", f.dtype("w"));
        assertEquals("v", f.metadata().get("k"));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0.333251953125f, 0x1p-24f}, f.tensor("w").data());

        t.put("big", Tensor.of(new float[] {0f, 70000f}, 2));
        Path q = dir.resolve("big.safetensors");
        IOException e = assertThrows(IOException.class, () -> Safetensors.write(q, t, null, SafetensorsDtype.F16));
        assertTrue(e.getMessage().contains("tensor \"big\" value 70000.0 at flat index 1 is outside the float16 range"), e.getMessage());
        assertTrue(Files.notExists(q), "no partial file");
    }

    @Test
    void rejectsBadHeaderLengths() throws IOException {
        rejects("short.safetensors", new byte[5], "file is 5 bytes, too short for the 8-byte header length");
        rejects("long.safetensors", file(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "header length 1000 bytes runs past the end of the file (10 bytes, so at most 2 header bytes)");
        rejects("huge.safetensors", file(1L << 60, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "header length 1152921504606846976 bytes runs past the end");
        rejects("u64.safetensors", file(-1, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "header length 18446744073709551615 bytes runs past the end");
    }

    @Test
    void capsTheHeaderSizeWithoutReadingIt() throws IOException {
        // A sparse 150 MB file: the header claims 120 MB, which the file could hold, but is over the cap.
        Path p = dir.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(150L << 20);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(120L << 20).array());
        }
        rejects(p, "header length 125829120 bytes exceeds the limit of 104857600 bytes");
    }

    @Test
    void rejectsHeadersThatAreNotJsonObjects() throws IOException {
        rejects("utf8.safetensors", file(2, new byte[] {'{', (byte) 0xff}, new byte[0]),
                "header is not valid UTF-8: bad byte sequence at byte 1");
        rejects("json.safetensors", file("{\"t\": ", new byte[0]), "header is not valid JSON: expected a JSON value, got end of input");
        rejects("array.safetensors", file("[1, 2]", new byte[0]), "header must be a JSON object, got an array");
        rejects("dup.safetensors", file("{\"t\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},"
                + "\"t\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]}}", new byte[2]),
                "header names \"t\" twice; every tensor name must be unique");
    }

    @Test
    void rejectsBadMetadata() throws IOException {
        rejects("meta1.safetensors", file("{\"__metadata__\":[]}", new byte[0]), "__metadata__ must be an object of strings, got an array");
        rejects("meta2.safetensors", file("{\"__metadata__\":{\"epochs\":3}}", new byte[0]),
                "__metadata__ value for key \"epochs\" must be a string, got the number 3");
    }

    @Test
    void rejectsMissingOrWrongFields() throws IOException {
        rejects("info.safetensors", file(one("[]"), new byte[0]),
                "tensor \"t\": expected an object with dtype, shape and data_offsets, got an array");
        rejects("nodtype.safetensors", file(one("{\"shape\":[],\"data_offsets\":[0,4]}"), new byte[4]), "tensor \"t\": missing \"dtype\"");
        rejects("noshape.safetensors", file(one("{\"dtype\":\"F32\",\"data_offsets\":[0,4]}"), new byte[4]), "tensor \"t\": missing \"shape\"");
        rejects("nooffsets.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[]}"), new byte[4]), "tensor \"t\": missing \"data_offsets\"");
        rejects("dtypetype.safetensors", file(one("{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}"), new byte[4]),
                "\"dtype\" must be a string, got the number 32");
        rejects("unknown.safetensors", file(one("{\"dtype\":\"F4\",\"shape\":[],\"data_offsets\":[0,4]}"), new byte[4]),
                "tensor \"t\": unknown dtype \"F4\"; expected one of BOOL, U8, I8");
        rejects("shapetype.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}"), new byte[8]),
                "\"shape\" must be an array of integers, got the string \"2\"");
        rejects("offsetstype.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0]}"), new byte[4]),
                "data_offsets must be two non-negative integers [begin, end], got [0]");
        rejects("negoffset.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[-4,0]}"), new byte[4]),
                "got [-4,0]");
    }

    @Test
    void rejectsBadShapes() throws IOException {
        rejects("negdim.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}"), new byte[4]),
                "tensor \"t\": shape[1] is -1; dimensions must be non-negative integers");
        rejects("fracdim.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}"), new byte[4]),
                "shape[0] is 2.5; dimensions must be non-negative integers");
        rejects("strdim.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,4]}"), new byte[4]),
                "shape[0] is \"2\"");
        rejects("bigdim.safetensors", file(one("{\"dtype\":\"U8\",\"shape\":[4294967296],\"data_offsets\":[0,4]}"), new byte[4]),
                "shape[0] is 4294967296; dimensions above 2^31-1 are not supported");
        rejects("overflow.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,4]}"), new byte[4]), "has more elements than fit in 64 bits");
        rejects("overflow2.safetensors", file(one("{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2],"
                + "\"data_offsets\":[0,4]}"), new byte[4]), "of F64 needs more bytes than fit in 64 bits");
    }

    @Test
    void rejectsOffsetsThatDoNotFit() throws IOException {
        rejects("size.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,12]}"), new byte[12]),
                "tensor \"t\": data_offsets [0, 12] hold 12 bytes, but F32 shape [2,3] needs 6 x 4 = 24 bytes");
        rejects("range.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), new byte[4]),
                "tensor \"t\": data_offsets [0, 8] run past the end of the data buffer (4 bytes)");
        rejects("backwards.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}"), new byte[4]),
                "data_offsets [4, 0] end before they begin");
        rejects("overlap.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensor \"b\" (data_offsets [4, 12]) overlaps tensor \"a\" (data_offsets [0, 8])");
        rejects("hole.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
                "bytes [4, 8) of the data buffer belong to no tensor (a hole before tensor \"b\"); the buffer must be fully indexed");
        rejects("lead.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}"), new byte[8]),
                "bytes [0, 4) of the data buffer belong to no tensor");
        rejects("tail.safetensors", file(one("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"), new byte[7]),
                "bytes [4, 7) of the data buffer belong to no tensor (after the last one)");
        rejects("noindex.safetensors", file("{}", new byte[3]), "bytes [0, 3) of the data buffer belong to no tensor");
    }

    @Test
    void acceptsEmptyTensorsBetweenOthers() throws IOException {
        Path p = write("zero.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"extra\":{\"dtype\":\"I8\",\"shape\":[0],"
                + "\"data_offsets\":[0,0],\"ignored\":true}}", new byte[8]));
        assertEquals(List.of("a", "z", "b", "extra"), List.copyOf(Safetensors.read(p).names()));
    }

    @Test
    void quotesHostileNamesSafely() throws IOException {
        String name = "evil\nname" + "x".repeat(500);
        FormatException e = rejects("evil.safetensors",
                file("{" + Json.quote(name) + ":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"evil\\nname", "... (509 characters)");
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }
}
