package org.rnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The activations give the same bits interpreted (-Xint), under C1 alone, and after C2 has compiled them.
 * Bit-identical resume of training depends on it: a resumed run starts in a fresh, cold JVM.
 */
class ActivationsReproducibleTest {
    /** SHA-256 of sigmoid and tanh over a sweep of inputs (the whole float range's interesting part). */
    static String digest(int repeats) throws Exception {
        int n = 20_011;
        float[] x = new float[n], s = new float[n], t = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((i - n / 2) * 0.0047) * (i % 7 == 0 ? 9f : 1f);
        for (int r = 0; r < repeats; r++) {
            Activations.sigmoid(x, 0, s, 0, n);
            Activations.tanh(x, 0, t, 0, n);
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(8 * n);
        for (int i = 0; i < n; i++) b.putFloat(s[i]).putFloat(t[i]);
        return HexFormat.of().formatHex(md.digest(b.array()));
    }

    /** Run in a child JVM: prints the digest. */
    public static void main(String[] args) throws Exception {
        System.out.println(digest(1));
    }

    @Test
    void sameBitsInterpretedC1AndC2() throws Exception {
        String hot = digest(3000); // enough calls for C2 to compile the loops
        for (String mode : List.of("-Xint", "-XX:TieredStopAtLevel=1")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", mode, "-cp", System.getProperty("java.class.path"),
                    ActivationsReproducibleTest.class.getName()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(120, TimeUnit.SECONDS);
            String[] lines = out.strip().split("\n");
            assertEquals(hot, lines[lines.length - 1].strip(), mode + " gave other bits than C2; output: " + out);
        }
    }
}
