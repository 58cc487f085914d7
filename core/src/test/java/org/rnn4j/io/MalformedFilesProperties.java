package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SequencedMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.NpyArray;
import org.rnn4j.tensor.Tensor;

/**
 * Corrupts valid files at random and checks that the readers either succeed or throw {@link
 * FormatException}: never another exception, never an OutOfMemoryError, never a hang. The
 * mutations aim at the places that matter: length fields, digits in headers, truncation.
 */
class MalformedFilesProperties {
    private static Path dir;
    private static List<byte[]> npyFiles;
    private static List<byte[]> safetensorsFiles;

    @BeforeContainer
    static void makeValidFiles() throws IOException {
        dir = Files.createTempDirectory("rnn4j-fuzz");
        Path p = dir.resolve("base");
        Npy.write(p, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] f4 = Files.readAllBytes(p);
        Npy.writeLongs(p, new long[] {1, -2}, 2);
        byte[] i8 = Files.readAllBytes(p);
        Npy.writeDoubles(p, new double[] {3.5});
        byte[] scalar = Files.readAllBytes(p);
        Npy.write(p, NpyArray.of(NpyArray.Dtype.UINT8, new int[] {1, 2, 3}, 3, 1));
        byte[] u1 = Files.readAllBytes(p);
        npyFiles = List.of(f4, i8, scalar, u1);

        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("rnn.weight_ih_l0", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        tensors.put("rnn.bias", Tensor.of(new float[] {7, 8}, 2));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("scalar", Tensor.of(new float[] {9}));
        Safetensors.write(p, tensors, Map.of("kind", "lstm", "vocab", "[\"a\",\"b\"]"));
        byte[] st = Files.readAllBytes(p);
        String header = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[4,12]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[12,16]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] mixed = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(new byte[16]).array();
        safetensorsFiles = List.of(st, mixed);
        Files.delete(p);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Property(tries = 300)
    void corruptNpyFilesFailCleanly(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] base = npyFiles.get(random.nextInt(npyFiles.size()));
        byte[] bytes = mutate(base, random, 8, 10);
        readOrFormatException(bytes, f -> Npy.read(f).toTensor());
    }

    @Property(tries = 300)
    void corruptSafetensorsFilesFailCleanly(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] base = safetensorsFiles.get(random.nextInt(safetensorsFiles.size()));
        byte[] bytes = mutate(base, random, 0, 8);
        readOrFormatException(bytes, f -> {
            SafetensorsFile file = Safetensors.read(f);
            for (String name : file.names()) {
                file.tensor(name);
                file.doubles(name);
            }
        });
    }

    private interface Reader {
        void read(Path file) throws IOException;
    }

    private static void readOrFormatException(byte[] bytes, Reader reader) throws IOException {
        Path file = dir.resolve("mutant");
        Files.write(file, bytes);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                reader.read(file);
            } catch (FormatException expected) {
                if (!expected.getMessage().startsWith(file + ": ")) {
                    throw new AssertionError("message does not name the file: " + expected.getMessage());
                }
            }
        });
    }

    /**
     * One to four random edits. {@code lengthAt}/{@code lengthBytes} locate the header-length field,
     * which gets extreme values now and then because that is where allocation bombs hide.
     */
    static byte[] mutate(byte[] base, Random random, int lengthAt, int lengthEnd) {
        byte[] b = base.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            switch (random.nextInt(7)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 3 -> {
                    // A digit in the header becomes another digit or a sign: shapes and offsets change.
                    int at = random.nextInt(b.length);
                    for (int i = 0; i < b.length; i++) {
                        int j = (at + i) % b.length;
                        if (b[j] >= '0' && b[j] <= '9') {
                            b[j] = (byte) "0123456789-.e9".charAt(random.nextInt(14));
                            break;
                        }
                    }
                }
                case 4 -> {
                    if (b.length >= lengthEnd) {
                        long[] extreme = {0, 1, 2, 0xffffL, 0xffffffffL, 1L << 60, -1L, Long.MIN_VALUE, b.length, b.length - lengthEnd};
                        long v = extreme[random.nextInt(extreme.length)];
                        for (int i = lengthAt; i < lengthEnd; i++) b[i] = (byte) (v >>> (8 * (i - lengthAt)));
                    }
                }
                case 5 -> {
                    int at = random.nextInt(b.length + 1);
                    byte[] insert = new byte[1 + random.nextInt(8)];
                    random.nextBytes(insert);
                    byte[] grown = new byte[b.length + insert.length];
                    System.arraycopy(b, 0, grown, 0, at);
                    System.arraycopy(insert, 0, grown, at, insert.length);
                    System.arraycopy(b, at, grown, at + insert.length, b.length - at);
                    b = grown;
                }
                default -> {
                    // Swap a structural character for another one.
                    int at = random.nextInt(b.length);
                    b[at] = (byte) "{}[]\"':,() \\".charAt(random.nextInt(12));
                }
            }
        }
        return b;
    }
}
