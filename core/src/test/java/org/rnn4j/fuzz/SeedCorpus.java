package org.rnn4j.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.Checkpointer;

/**
 * Writes the committed seed corpus (valid files of every kind the readers take), from which the fuzzers
 * mutate. Run once after a format change: {@code ./mvnw -pl core test -Dtest=SeedCorpus -Drnn4j.writeSeeds=true}.
 */
class SeedCorpus {
    static final Path ROOT = Path.of("src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs");

    @Test
    void write() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("rnn4j.writeSeeds"), "writes the seed corpus only when asked");
        Path npy = dir("npy");
        Npy.write(npy.resolve("f32_2x3"), Tensor.of(new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, 7}, 2, 3));
        Files.write(npy.resolve("i64_v2"), npyBytes(2, "<i8", "(3,)", longs(1, -1, Long.MAX_VALUE)));
        Files.write(npy.resolve("bool_scalar"), npyBytes(1, "|b1", "()", new byte[] {1}));
        Files.write(npy.resolve("u1_empty"), npyBytes(1, "|u1", "(3, 0)", new byte[0]));
        Files.write(npy.resolve("f8_v3"), npyBytes(3, "<f8", "(2,)", doubles(0.5, -1e300)));
        Files.write(npy.resolve("i4_3d"), npyBytes(1, "<i4", "(1, 2, 1)", ints(-100, 7)));

        Path st = dir("safetensors");
        byte[] data = new byte[4 * 4 + 8 + 2 * 2];
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        bb.putFloat(1).putFloat(2).putFloat(-3).putFloat(4).putLong(9).putShort((short) 0x3f80).putShort((short) 0xbf80);
        Files.write(st.resolve("mixed_dtypes"), safetensorsBytes("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]}}", data));
        Files.write(st.resolve("empty"), safetensorsBytes("{}", new byte[0]));
        LinkedHashMap<String, Tensor> one = new LinkedHashMap<>();
        one.put("x", Tensor.of(new float[] {0.25f}, 1, 1));
        Safetensors.write(st.resolve("written"), one, Map.of("note", "seed"));

        Path models = dir("modelFile");
        ModelFile.save(models.resolve("gru_head"), SequenceModel.create(
                new ModelConfig(new RecurrentConfig(CellKind.GRU, 2, 3, 1, false, true, 0), 2, 0), Init.PYTORCH, 1));
        ModelFile.save(models.resolve("lstm_bi_2layers"), SequenceModel.create(
                new ModelConfig(new RecurrentConfig(CellKind.LSTM, 1, 2, 2, true, true, 0.1), 0, 0), Init.PYTORCH, 2));
        ModelFile.save(models.resolve("rnn_relu_embedding"), SequenceModel.create(
                new ModelConfig(new RecurrentConfig(CellKind.RNN_RELU, 2, 2, 1, false, false, 0), 3, 4), Init.PYTORCH, 3));

        Path ck = dir("checkpoint");
        Checkpointer cp = new Checkpointer(ck, Map.of("--lr", "0.1"), 1);
        Path written = cp.save(new Checkpoint(4).putArray("model/w", new float[] {1, 2, 3}, 3).putLong("epoch", 1)
                .putDouble("lr", 0.05).putDouble("best", Double.POSITIVE_INFINITY).putRng("r", new Rng(9))
                .putInts("pos", new int[] {1, 2}).putJson("j", Map.of("a", 1L)));
        Files.move(written, ck.resolve("small"));

        Path json = dir("json");
        Files.writeString(json.resolve("object"), "{\"a\": [1, 2.5, -3e-7, true, false, null], \"b\": {\"c\": \"\\u00e9\\n\\ud83d\\ude00\"}}");
        Files.writeString(json.resolve("array"), "[[], {}, \"\", 0, -0.0, 1E+2]");
        Files.writeString(json.resolve("string"), "\"plain \\\"quoted\\\" \\/ \\\\ text\"");
        Files.write(json.resolve("bom"), "\uFEFF{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    }

    static Path dir(String name) throws IOException {
        return Files.createDirectories(ROOT.resolve(name));
    }

    static byte[] npyBytes(int major, String descr, String shape, byte[] body) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pre = major == 1 ? 10 : 12;
        int total = pre + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) len.putShort((short) header.length());
        else len.putInt(header.length());
        out.writeBytes(len.array());
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] safetensorsBytes(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h).put(data);
        return bb.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) bb.putLong(x);
        return bb.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) bb.putDouble(x);
        return bb.array();
    }

    static byte[] ints(int... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) bb.putInt(x);
        return bb.array();
    }
}
