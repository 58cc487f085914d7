package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test fixture written by tools/reference/make_train_fixtures.py: lines of {@code key v1 v2 ...}, '#' comments.
 * Test-only on purpose, so these tests depend on nothing but the JDK and the text files.
 */
final class Fixture {
    final String name;
    private final Map<String, String[]> entries = new LinkedHashMap<>();

    private Fixture(String name) {
        this.name = name;
    }

    static Fixture load(String name) {
        String resource = "/fixtures/train/" + name + ".txt";
        Fixture f = new Fixture(name);
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split(" +");
                String[] values = new String[parts.length - 1];
                System.arraycopy(parts, 1, values, 0, values.length);
                f.entries.put(parts[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return f;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    String[] strings(String key) {
        String[] v = entries.get(key);
        if (v == null) throw new IllegalStateException(name + ": no key " + key + "; have " + entries.keySet());
        return v;
    }

    String string(String key) {
        return strings(key)[0];
    }

    double[] doubles(String key) {
        String[] s = strings(key);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) out[i] = parse(s[i]);
        return out;
    }

    double num(String key) {
        return doubles(key)[0];
    }

    double num(String key, double otherwise) {
        return has(key) ? num(key) : otherwise;
    }

    boolean bool(String key, boolean otherwise) {
        return has(key) ? Boolean.parseBoolean(string(key)) : otherwise;
    }

    float[] floats(String key) {
        double[] d = doubles(key);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    int[] ints(String key) {
        String[] s = strings(key);
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) out[i] = Integer.parseInt(s[i]);
        return out;
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /**
     * Fails unless {@code |actual - expected| <= atol + rtol * |expected|} everywhere (NaN must match NaN), naming
     * {@code what} and the worst index.
     */
    static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (Double.isNaN(e) != Double.isNaN(a)) fail(what + "[" + i + "]: expected " + e + ", got " + a);
                continue;
            }
            double excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": worst index " + worst + ": expected " + expected[worst] + ", got " + actual[worst]
                    + " (|diff| " + Math.abs(actual[worst] - expected[worst]) + " > atol " + atol + " + rtol " + rtol
                    + " * |expected|)");
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertClose(what, toDouble(expected), toDouble(actual), rtol, atol);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
