package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Tensor;

/**
 * Every malformed file rnn4j reads, through the command line: exit code 2, one line on stderr naming the file
 * and the problem (no stack trace), and no existing file changed — not the inputs, not the output that was
 * already there.
 */
class HostileInputCliTest {
    @TempDir
    static Path dir;
    static Path goodModel, goodX, goodY;
    static final byte[] OLD_OUTPUT = "previous result, must survive".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void files() throws IOException {
        goodModel = dir.resolve("good.safetensors");
        ChildRuns.Result r = ChildRuns.inProcess("init", "--cell", "gru", "--input-size", "2", "--hidden-size", "3",
                "--output-size", "1", "--out", goodModel.toString());
        assertEquals(0, r.code(), r.err());
        goodX = dir.resolve("x.npy");
        goodY = dir.resolve("y.npy");
        Npy.write(goodX, Tensor.of(new float[2 * 3 * 2], 2, 3, 2));
        Npy.write(goodY, Tensor.of(new float[2 * 3], 2, 3, 1));
    }

    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
    }

    static byte[] withLength(byte[] file, long length) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return b;
    }

    static byte[] npyHeader(String dict, byte[] data) {
        String h = dict + " ".repeat(Math.max(0, 117 - dict.length())) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length()).put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return bb.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bb.putFloat(f);
        return bb.array();
    }

    /** (name, which file is bad: "model" | "input", its bytes, phrase the message must contain). */
    static Stream<Arguments> cases() throws IOException {
        byte[] good = Files.readAllBytes(goodModel);
        byte[] goodNpy = Files.readAllBytes(goodX);
        List<Arguments> c = new ArrayList<>();
        // Model files (safetensors).
        c.add(Arguments.of("empty model", "model", new byte[0], "too short for the 8-byte header length"));
        c.add(Arguments.of("truncated model", "model", java.util.Arrays.copyOf(good, good.length - 10), "the file is truncated"));
        c.add(Arguments.of("model cut inside the header", "model", java.util.Arrays.copyOf(good, 40), "runs past the end of the file"));
        c.add(Arguments.of("npy given as model", "model", goodNpy, "runs past the end of the file"));
        c.add(Arguments.of("header length 2^60", "model", withLength(good, 1L << 60), "header length 1152921504606846976 bytes runs past the end"));
        c.add(Arguments.of("header length with top bit set", "model", withLength(good, -8), "runs past the end of the file"));
        c.add(Arguments.of("overlapping offsets", "model", safetensors("{\"rnn.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"rnn.weight_hh_l0\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "overlaps tensor"));
        c.add(Arguments.of("offsets out of range", "model", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                new byte[8]), "run past the end of the data buffer"));
        c.add(Arguments.of("offsets disagree with shape", "model", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                new byte[8]), "needs 3 x 4 = 12 bytes"));
        c.add(Arguments.of("shape overflows", "model", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,0]}}", new byte[0]), "shape"));
        c.add(Arguments.of("unknown dtype", "model", safetensors("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}",
                new byte[16]), "F128"));
        c.add(Arguments.of("header not JSON", "model", safetensors("{\"a\":[1,2,}", new byte[0]), "header"));
        byte[] badUtf8 = safetensors("{\"aX\":{}}", new byte[0]);
        badUtf8[8 + 3] = (byte) 0xC3; // a lead byte followed by '"' is malformed UTF-8
        c.add(Arguments.of("header invalid UTF-8 bytes", "model", badUtf8, "UTF-8"));
        c.add(Arguments.of("not an rnn4j model", "model", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                floats(1)), "not an rnn4j model"));
        c.add(Arguments.of("NaN weight", "model", nanModel(good), "contains NaN"));
        c.add(Arguments.of("weight of wrong shape", "model", safetensors("{\"rnn.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[9,2],\"data_offsets\":[0,72]},"
                + "\"rnn.weight_hh_l0\":{\"dtype\":\"F32\",\"shape\":[9,4],\"data_offsets\":[72,216]}}", new byte[216]), "rnn.weight_hh_l0"));
        // Arrays (.npy).
        c.add(Arguments.of("empty npy", "input", new byte[0], "too short for a .npy header"));
        c.add(Arguments.of("wrong magic", "input", "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "zip archive"));
        c.add(Arguments.of("truncated npy", "input", java.util.Arrays.copyOf(goodNpy, goodNpy.length - 3), "data is truncated"));
        c.add(Arguments.of("trailing garbage", "input", concat(goodNpy, new byte[5]), "trailing garbage"));
        byte[] hugeHeader = goodNpy.clone();
        hugeHeader[8] = (byte) 0xff;
        hugeHeader[9] = (byte) 0xff;
        c.add(Arguments.of("npy header length beyond the file", "input", hugeHeader, "runs past the end of the file"));
        c.add(Arguments.of("npy header nonsense", "input", npyHeader("{'descr': '<f4', 'shape': (2, 3, 2)}", new byte[48]), "fortran_order"));
        c.add(Arguments.of("npy huge shape", "input", npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000, 2), }",
                new byte[0]), "shape"));
        c.add(Arguments.of("npy negative dimension", "input", npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3, 2), }",
                new byte[48]), "non-negative"));
        c.add(Arguments.of("npy big-endian", "input", npyHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3, 2), }",
                new byte[48]), "big-endian"));
        c.add(Arguments.of("npy NaN input", "input", npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }",
                floats(1, Float.NaN)), "contains NaN at flat index 1"));
        c.add(Arguments.of("npy infinite input", "input", npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }",
                floats(Float.NEGATIVE_INFINITY, 0)), "contains -Infinity at flat index 0"));
        c.add(Arguments.of("npy wrong dtype", "input", npyHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1, 2), }",
                new byte[8]), "must be float32"));
        c.add(Arguments.of("npy wrong rank", "input", npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
                new byte[16]), "must have 3 dimensions"));
        c.add(Arguments.of("npy object array", "input", npyHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                new byte[8]), "object arrays"));
        return c.stream();
    }

    static byte[] nanModel(byte[] good) throws IOException {
        Path tmp = dir.resolve("nan-src.safetensors");
        Files.write(tmp, good);
        var f = org.rnn4j.io.Safetensors.read(tmp);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(f.tensors());
        Tensor w = tensors.get("head.bias");
        w.data()[0] = Float.NaN;
        // Written raw: the rnn4j writers refuse NaN.
        StringBuilder h = new StringBuilder("{");
        ByteBuffer data = ByteBuffer.allocate(good.length).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            int begin = data.position();
            for (float v : e.getValue().data()) data.putFloat(v);
            if (h.length() > 1) h.append(',');
            h.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":").append(java.util.Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(begin).append(',').append(data.position()).append("]}");
        }
        h.append('}');
        return safetensors(h.toString(), java.util.Arrays.copyOf(data.array(), data.position()));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedFileGetsOneClearLineExit2AndNothingChanges(String name, String which, byte[] bytes, String phrase) throws Exception {
        Path bad = dir.resolve(name.replace(' ', '_') + (which.equals("model") ? ".safetensors" : ".npy"));
        Files.write(bad, bytes);
        Path model = which.equals("model") ? bad : goodModel;
        Path input = which.equals("input") ? bad : goodX;
        List<String[]> commands = new ArrayList<>();
        Path out = dir.resolve("out-" + name.replace(' ', '_'));
        commands.add(new String[] {"predict", "--model", model.toString(), "--input", input.toString(), "--output", out + ".npy"});
        commands.add(new String[] {"fit", "--model", model.toString(), "--input", input.toString(), "--target", goodY.toString(),
                "--out", out + ".safetensors", "--epochs", "1", "--quiet"});
        if (which.equals("model")) commands.add(new String[] {"inspect", model.toString()});
        for (String[] args : commands) {
            Path existing = args[0].equals("predict") ? Path.of(out + ".npy") : Path.of(out + ".safetensors");
            Files.write(existing, OLD_OUTPUT);
            FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(existing, stamp);
            Map<Path, byte[]> inputs = Map.of(model, Files.readAllBytes(model), input, Files.readAllBytes(input), goodY,
                    Files.readAllBytes(goodY));
            ChildRuns.Result r = ChildRuns.inProcess(args);
            String what = name + " via " + args[0] + ": " + r.err();
            assertEquals(2, r.code(), what);
            String[] lines = r.err().strip().split("\n");
            assertEquals(1, lines.length, "exactly one line: " + what);
            assertTrue(lines[0].startsWith("rnn4j " + args[0] + ": "), what);
            assertTrue(lines[0].contains(bad.toString()), "names the file: " + what);
            assertTrue(lines[0].contains(phrase), "says '" + phrase + "': " + what);
            assertFalse(lines[0].contains("Exception"), what);
            assertArrayEquals(OLD_OUTPUT, Files.readAllBytes(existing), "existing output unchanged: " + what);
            assertEquals(stamp, Files.getLastModifiedTime(existing), what);
            for (Map.Entry<Path, byte[]> e : inputs.entrySet()) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), "input unchanged: " + what);
            }
            try (var s = Files.list(dir)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left: " + what);
            }
        }
    }
}
