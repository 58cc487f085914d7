package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Json;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Npy;

/**
 * Through the command line, on random models written by PyTorch (tools/reference/make_fixtures.py):
 * {@code predict} agrees with PyTorch's float64 forward to 1e-5 relative, and the weight updates of
 * {@code fit} with SGD (1 step) and Adam (3 steps) agree with PyTorch's to 1e-4 and 1e-3 relative —
 * every cell kind, 1–3 layers, both directions, with and without a head.
 */
class EndToEndParityTest {
    @TempDir
    Path tmp;

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/e2e"))) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictAndFitMatchPytorch(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Path model = dir.resolve("model.safetensors");
        Path y = tmp.resolve("y.npy");
        run("predict", "--model", model.toString(), "--input", dir.resolve("x.npy").toString(), "--output", y.toString());
        double[] expected = Npy.read(dir.resolve("predict.npy")).toDoubles();
        double[] actual = Npy.read(y).toDoubles();
        double rel = relativeError(expected, actual);
        assertTrue(rel <= 1e-5, name + " predict: relative error " + rel + " > 1e-5");
        System.out.printf("%s predict relative error %.2e%n", name, rel);

        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("meta.json")));
        String batch = String.valueOf(((Number) meta.get("batch")).intValue());
        checkFit(dir, name, "sgd", "0.1", "1", batch, "sgd1", 1e-4);
        checkFit(dir, name, "adam", "0.01", "3", batch, "adam3", 1e-3);
    }

    private void checkFit(Path dir, String name, String optimizer, String lr, String epochs, String batch,
                          String expectedDir, double tolerance) throws IOException {
        Path out = tmp.resolve(optimizer + ".safetensors");
        run("fit", "--model", dir.resolve("model.safetensors").toString(), "--input", dir.resolve("x.npy").toString(),
                "--target", dir.resolve("y.npy").toString(), "--out", out.toString(), "--loss", "mse",
                "--optimizer", optimizer, "--lr", lr, "--epochs", epochs, "--batch-size", batch, "--no-shuffle", "--quiet");
        SequenceModel before = ModelFile.load(dir.resolve("model.safetensors"));
        SequenceModel after = ModelFile.load(out);
        Parameters pb = before.parameters(), pa = after.parameters();
        double maxDiff = 0, maxUpdate = 0;
        for (Parameters.Param q : pb.list()) {
            double[] torchAfter = Npy.read(dir.resolve(expectedDir).resolve(q.name() + ".npy")).toDoubles();
            float[] b = pb.value(q.name()).data(), a = pa.value(q.name()).data();
            for (int i = 0; i < b.length; i++) {
                double torchUpdate = torchAfter[i] - b[i];
                double ourUpdate = (double) a[i] - b[i];
                maxDiff = Math.max(maxDiff, Math.abs(torchUpdate - ourUpdate));
                maxUpdate = Math.max(maxUpdate, Math.abs(torchUpdate));
            }
        }
        assertTrue(maxUpdate > 0, name + " " + optimizer + ": PyTorch's update is zero; the fixture is broken");
        double rel = maxDiff / maxUpdate;
        assertTrue(rel <= tolerance, name + " " + optimizer + ": weight updates differ by " + rel + " relative (> " + tolerance + ")");
        System.out.printf("%s %s update relative error %.2e%n", name, optimizer, rel);
    }

    private static double relativeError(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "number of values");
        double maxErr = 0, maxAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
        }
        return maxErr / maxAbs;
    }

    static void run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, "rnn4j " + String.join(" ", args) + " failed: " + err);
    }
}
