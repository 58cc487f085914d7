package org.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.FormatException;

/**
 * .npy reading and writing. The fixtures in {@code src/test/resources/org/rnn4j/tensor/npy} were
 * written by NumPy 1.24 ({@code make_fixtures.py} beside them): reading them proves we understand
 * NumPy, and writing the same arrays byte for byte proves NumPy understands us.
 */
class NpyTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = NpyTest.class.getResourceAsStream("npy/" + name)) {
            if (in == null) throw new IOException("missing test resource npy/" + name);
            Files.copy(in, target);
        }
        return target;
    }

    // ------------------------------------------------------------ files written by NumPy

    @Test
    void readsNumpyFloat32Matrix() throws IOException {
        for (String name : List.of("f4_2x3.npy", "f4_2x3_v2.npy", "f4_2x3_v3.npy")) {
            NpyArray a = Npy.read(fixture(name));
            assertEquals(NpyArray.Dtype.FLOAT32, a.dtype(), name);
            assertArrayEquals(new int[] {2, 3}, a.shape(), name);
            assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, (float[]) a.data(), name);
        }
    }

    @Test
    void readsNumpyScalarAndFloat64() throws IOException {
        NpyArray scalar = Npy.read(fixture("f8_scalar.npy"));
        assertEquals(NpyArray.Dtype.FLOAT64, scalar.dtype());
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new double[] {3.25}, scalar.toDoubles());
        assertArrayEquals(new float[] {3.25f}, scalar.toTensor().data());

        NpyArray cube = Npy.read(fixture("f8_1x2x2.npy"));
        assertArrayEquals(new int[] {1, 2, 2}, cube.shape());
        assertArrayEquals(new double[] {1.0e-300, -2.5, Math.PI, 1e300}, cube.toDoubles());
    }

    @Test
    void readsNumpyIntegers() throws IOException {
        NpyArray i4 = Npy.read(fixture("i4_4.npy"));
        assertEquals(NpyArray.Dtype.INT32, i4.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, i4.toInts());
        NpyArray i8 = Npy.read(fixture("i8_2x2.npy"));
        assertEquals(NpyArray.Dtype.INT64, i8.dtype());
        assertArrayEquals(new long[] {1L << 40, -5, Long.MAX_VALUE, Long.MIN_VALUE}, i8.toLongs());
        assertArrayEquals(new int[] {0, 7, 255}, Npy.read(fixture("u1_3.npy")).toInts());
        assertArrayEquals(new int[] {-128, 0, 127}, Npy.read(fixture("i1_3.npy")).toInts());
        NpyArray bool = Npy.read(fixture("b1_2x2.npy"));
        assertEquals(NpyArray.Dtype.BOOL, bool.dtype());
        assertArrayEquals(new long[] {1, 0, 0, 1}, bool.toLongs());
    }

    @Test
    void readsNumpyEmptyAndRank4() throws IOException {
        NpyArray empty = Npy.read(fixture("f4_0x3.npy"));
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.size());
        Tensor t = Npy.readTensor(fixture("f4_1x2x1x2.npy"));
        assertArrayEquals(new int[] {1, 2, 1, 2}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3}, t.data());
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        float[] a23 = {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f};
        assertSameBytes("f4_2x3.npy", p -> Npy.write(p, Tensor.of(a23, 2, 3)));
        assertSameBytes("f8_scalar.npy", p -> Npy.writeDoubles(p, new double[] {3.25}));
        assertSameBytes("f8_1x2x2.npy", p -> Npy.writeDoubles(p, new double[] {1.0e-300, -2.5, Math.PI, 1e300}, 1, 2, 2));
        assertSameBytes("i4_4.npy", p -> Npy.writeInts(p, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 4));
        assertSameBytes("i8_2x2.npy", p -> Npy.writeLongs(p, new long[] {1L << 40, -5, Long.MAX_VALUE, Long.MIN_VALUE}, 2, 2));
        assertSameBytes("f4_0x3.npy", p -> Npy.write(p, Tensor.zeros(0, 3)));
        assertSameBytes("f4_1x2x1x2.npy", p -> Npy.write(p, Tensor.of(new float[] {0, 1, 2, 3}, 1, 2, 1, 2)));
        assertSameBytes("u1_3.npy", p -> Npy.write(p, NpyArray.of(NpyArray.Dtype.UINT8, new int[] {0, 7, 255}, 3)));
        assertSameBytes("i1_3.npy", p -> Npy.write(p, NpyArray.of(NpyArray.Dtype.INT8, new int[] {-128, 0, 127}, 3)));
        assertSameBytes("b1_2x2.npy", p -> Npy.write(p, NpyArray.of(NpyArray.Dtype.BOOL, new int[] {1, 0, 0, 1}, 2, 2)));
    }

    private interface Writer {
        void write(Path p) throws IOException;
    }

    private void assertSameBytes(String fixture, Writer writer) throws IOException {
        Path ours = dir.resolve("ours-" + fixture);
        writer.write(ours);
        byte[] expected = Files.readAllBytes(fixture(fixture));
        byte[] actual = Files.readAllBytes(ours);
        assertArrayEquals(expected, actual, () -> fixture + ": ours differs from NumPy's\nnumpy: "
                + new String(expected, StandardCharsets.ISO_8859_1) + "\nours:  " + new String(actual, StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------ round trips

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        Random random = new Random(42);
        int[][] shapes = {{}, {0}, {1}, {5}, {3, 0, 2}, {2, 3}, {2, 1, 3}, {2, 3, 1, 2}, {1, 1, 1, 1}};
        Path file = dir.resolve("rt.npy");
        for (NpyArray.Dtype dtype : NpyArray.Dtype.values()) {
            for (int[] shape : shapes) {
                int size = Tensor.checkedSize(shape);
                Object data = switch (dtype) {
                    case FLOAT32 -> {
                        float[] f = new float[size];
                        for (int i = 0; i < size; i++) f[i] = (float) random.nextGaussian();
                        if (size > 2) {
                            f[0] = Float.NaN;
                            f[1] = -0f;
                            f[2] = Float.MIN_VALUE;
                        }
                        yield f;
                    }
                    case FLOAT64 -> random.doubles(size).map(x -> x * 1e10 - 5e9).toArray();
                    case INT64 -> random.longs(size).toArray();
                    case INT32 -> random.ints(size).toArray();
                    case INT8 -> random.ints(size, -128, 128).toArray();
                    case UINT8 -> random.ints(size, 0, 256).toArray();
                    case BOOL -> random.ints(size, 0, 2).toArray();
                };
                NpyArray written = NpyArray.of(dtype, data, shape);
                Npy.write(file, written);
                NpyArray read = Npy.read(file);
                assertEquals(written, read, () -> dtype + " " + Arrays.toString(shape));
                assertArrayEquals(shape, read.shape());
            }
        }
        assertEquals(List.of(file), listDir(), "no temporary files left behind");
    }

    @Test
    void convertsBetweenTypes() {
        NpyArray longs = NpyArray.ofLongs(new long[] {1, -2, 3}, 3);
        assertArrayEquals(new float[] {1, -2, 3}, longs.toTensor().data());
        assertArrayEquals(new int[] {1, -2, 3}, longs.toInts());
        IllegalStateException tooBig = assertThrows(IllegalStateException.class,
                () -> NpyArray.ofLongs(new long[] {1L << 40}, 1).toInts());
        assertTrue(tooBig.getMessage().contains("does not fit in an int"), tooBig.getMessage());
        IllegalStateException floats = assertThrows(IllegalStateException.class,
                () -> NpyArray.ofFloats(new float[] {1}, 1).toLongs());
        assertTrue(floats.getMessage().contains("dtype float32; toLongs() needs an integer dtype"), floats.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.of(NpyArray.Dtype.UINT8, new int[] {256}, 1));
        assertTrue(range.getMessage().contains("uint8 value at flat index 0 must be in [0, 255], got 256"), range.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.of(NpyArray.Dtype.INT64, new int[] {1}, 1));
        assertTrue(type.getMessage().contains("int64 data must be a long[], got int[]"), type.getMessage());
    }

    private List<Path> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".npy") || p.getFileName().toString().startsWith("rt"))
                    .sorted().toList();
        }
    }

    // ------------------------------------------------------------ malformed files

    /** A .npy file from parts: any header text, its length field computed unless given. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) text.length);
        else b.putInt(text.length);
        return b.put(text).put(data).array();
    }

    static String header(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    private FormatException rejects(String name, byte[] bytes, String... fragments) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return rejects(file, fragments);
    }

    private static FormatException rejects(Path file, String... fragments) {
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), () -> "names the file: " + e.getMessage());
        assertEquals(file, e.file());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "expected \"" + f + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        rejects("magic.npy", "hello, this is text".getBytes(StandardCharsets.US_ASCII),
                "not a .npy file: expected the magic \\x93NUMPY at the start, got b'hello,'");
        rejects("empty.npy", new byte[0], "file is 0 bytes, too short for a .npy header");
        rejects("abc.npy", "abc".getBytes(StandardCharsets.US_ASCII), "not a .npy file", "got b'abc'");
        rejects(fixture("bad_npz.npy"), "zip archive (an .npz file?)");
    }

    @Test
    void rejectsTruncatedHeaderAndData() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f4_2x3.npy"));
        rejects("t8.npy", Arrays.copyOf(good, 8), "8 bytes, too short for a .npy header");
        rejects("t60.npy", Arrays.copyOf(good, 60), "header length 118 bytes runs past the end of the file (60 bytes");
        rejects("t148.npy", Arrays.copyOf(good, good.length - 4),
                "data is truncated: float32 shape (2, 3) needs 24 bytes after the header, but the file has only 20");
        byte[] garbage = Arrays.copyOf(good, good.length + 3);
        rejects("garbage.npy", garbage, "3 bytes of trailing garbage after the data", "needs 24 bytes after the header, the file has 27");
    }

    @Test
    void rejectsShapeThatDoesNotMatchData() throws IOException {
        rejects("mismatch.npy", npy(1, header("<f4", "False", "(4,)"), new byte[12]),
                "data is truncated: float32 shape (4,) needs 16 bytes after the header, but the file has only 12");
        rejects("mismatch8.npy", npy(1, header("<i8", "False", "(1,)"), new byte[12]), "4 bytes of trailing garbage");
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        byte[] v1 = npy(1, header("<f4", "False", "()"), new byte[4]);
        v1[8] = (byte) 0xff;
        v1[9] = (byte) 0xff;
        rejects("hlen1.npy", v1, "header length 65535 bytes runs past the end of the file");
        byte[] v2 = npy(2, header("<f4", "False", "()"), new byte[4]);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        rejects("hlen2.npy", v2, "header length 4294967295 bytes runs past the end of the file");
    }

    @Test
    void rejectsUnsupportedLayoutsAndTypes() throws IOException {
        rejects(fixture("bad_fortran.npy"), "Fortran order is not supported", "np.ascontiguousarray");
        rejects(fixture("bad_bigendian.npy"), "big-endian dtype '>f4' is not supported");
        rejects(fixture("bad_f2.npy"), "dtype '<f2' is not supported; expected one of float32, float64, int32, int64");
        rejects(fixture("bad_object.npy"), "object arrays (dtype '|O') are not supported");
        rejects("complex.npy", npy(1, header("<c8", "False", "(1,)"), new byte[8]), "dtype '<c8' is not supported");
        rejects("pipe.npy", npy(1, header("|f4", "False", "(1,)"), new byte[4]), "byte order '|'; expected '<'");
        rejects("struct.npy", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "structured dtypes (record arrays) are not supported");
        byte[] v4 = npy(1, header("<f4", "False", "()"), new byte[4]);
        v4[6] = 4;
        rejects("v4.npy", v4, "unsupported .npy format version 4.0; expected 1.0, 2.0 or 3.0");
    }

    @Test
    void acceptsFortranOrderWhereItCannotMatter() throws IOException {
        Path file = dir.resolve("f1.npy");
        Files.write(file, npy(1, header("<f4", "True", "(1, 2, 1)"), new byte[8]));
        assertArrayEquals(new int[] {1, 2, 1}, Npy.read(file).shape());
    }

    @Test
    void rejectsMoreElementsThanAJavaArrayHolds() throws IOException {
        rejects("huge.npy", npy(1, header("<f4", "False", "(65536, 65536)"), new byte[0]),
                "shape (65536, 65536) has more than 2^31-9 elements");
        rejects("huge2.npy", npy(1, header("<f4", "False", "(3000000000,)"), new byte[0]),
                "is 3000000000; a Java array holds at most 2^31-9 elements");
        rejects("huge3.npy", npy(1, header("<f4", "False", "(1000000000000000000000,)"), new byte[0]), "is too large");
    }

    @Test
    void rejectsBrokenHeaders() throws IOException {
        byte[] data = new byte[4];
        rejects("notdict.npy", npy(1, "[1, 2]\n", data), "header is not a valid Python dictionary literal: expected '{', got '['");
        rejects("nokey.npy", npy(1, "{'descr': '<f4', 'shape': (1,), }\n", data), "header lacks the key 'fortran_order'");
        rejects("extrakey.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", data),
                "unexpected key \"x\"");
        rejects("negdim.npy", npy(1, header("<f4", "False", "(-1,)"), data), "must be a tuple of non-negative integers");
        rejects("floatdim.npy", npy(1, header("<f4", "False", "(1.5,)"), data), "expected an integer, got a number with '.'");
        rejects("notuple.npy", npy(1, header("<f4", "False", "(1)"), data), "'shape' must be a tuple of integers, got 1");
        rejects("fortran.npy", npy(1, header("<f4", "0", "(1,)"), data), "'fortran_order' must be True or False, got 0");
        rejects("unterminated.npy", npy(1, "{'descr': '<f4", data), "unterminated string");
        rejects("after.npy", npy(1, header("<f4", "False", "(1,)") + "x", data), "unexpected 'x' after the dictionary");
        rejects("deep.npy", npy(1, "{'descr': " + "(".repeat(5000) + "\n", data), "nested deeper than 16 levels");
        rejects("dup.npy", npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data),
                "duplicate key \"descr\"");
        byte[] badUtf8 = npy(3, header("<f4", "False", "(1,)"), data);
        badUtf8[12 + 11] = (byte) 0xff;
        rejects("utf8.npy", badUtf8, "version 3.0 header is not valid UTF-8");
    }

    @Test
    void acceptsPython2StyleHeader() throws IOException {
        Path file = dir.resolve("py2.npy");
        Files.write(file, npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 1L), }          \n", new byte[8]));
        assertArrayEquals(new int[] {2, 1}, Npy.read(file).shape());
    }
}
