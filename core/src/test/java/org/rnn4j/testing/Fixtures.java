package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rnn4j.io.Json;
import org.rnn4j.tensor.Npy;

/** Reads the PyTorch golden fixtures (see tools/reference/README.md) and compares against them. */
public final class Fixtures {
    private Fixtures() {}

    /** The fixture folder {@code fixtures/<group>} in the test resources. */
    public static Path group(String group) {
        Path p = Path.of("src/test/resources/fixtures", group);
        if (!Files.isDirectory(p)) throw new IllegalStateException("fixture folder missing: " + p.toAbsolutePath());
        return p;
    }

    public static List<Path> cases(Path group) {
        try (Stream<Path> s = Files.list(group)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> meta(Path dir) {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(dir.resolve("meta.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(Path file) {
        try {
            return Npy.read(file).toTensor().data();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] doubles(Path file) {
        try {
            return Npy.read(file).toDoubles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(Path file) {
        try {
            return Arrays.stream(Npy.read(file).toLongs()).mapToInt(Math::toIntExact).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails unless |actual − expected| ≤ atol + rtol·|expected| everywhere; the message names the tensor,
     * the worst index and both values.
     */
    public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double excess = err - (atol + rtol * Math.abs(expected[i]));
            if (!(excess <= worstExcess) || Double.isNaN(actual[i])) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: worst index %d: expected %.9g, got %.9g (|diff| %.3g > atol %.1g + rtol %.1g·|expected|)",
                    what, worst, expected[worst], actual[worst], Math.abs(actual[worst] - expected[worst]), atol, rtol));
        }
    }

    /** Relative error as the issue defines it: max |a − e| over max |e|. */
    public static double maxRelativeError(double[] expected, float[] actual) {
        double maxErr = 0, maxAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
        }
        return maxAbs == 0 ? maxErr : maxErr / maxAbs;
    }
}
