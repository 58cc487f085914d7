package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Tensor;

/** A run whose gradients overflow at every step is stopped after 5, naming the step; no model is written. */
class DivergenceCliTest {
    @Test
    void divergingFitStopsWithExit2NamingTheStepAndWritesNothing(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, ChildRuns.inProcess("init", "--cell", "gru", "--input-size", "2", "--hidden-size", "3",
                "--output-size", "1", "--out", model.toString()).code());
        Path x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        Npy.write(x, Tensor.of(new float[8 * 3 * 2], 8, 3, 2));
        float[] huge = new float[8 * 3];
        Arrays.fill(huge, Float.MAX_VALUE); // the head-bias gradient sum overflows float32 at every step
        Npy.write(y, Tensor.of(huge, 8, 3, 1));
        Path out = dir.resolve("out.safetensors");
        ChildRuns.Result r = ChildRuns.inProcess("fit", "--model", model.toString(), "--input", x.toString(), "--target",
                y.toString(), "--out", out.toString(), "--batch-size", "1", "--epochs", "3", "--quiet");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(5, lines.length, r.err());
        for (int s = 1; s <= 4; s++) {
            assertTrue(lines[s - 1].startsWith("step " + s + ": gradient norm is Infinity"), lines[s - 1]);
        }
        assertTrue(lines[4].startsWith("rnn4j fit: training diverged: the gradient norm is Infinity")
                && lines[4].contains("at step 5, the 5th non-finite step in a row (since step 1)")
                && lines[4].contains("no checkpoint was written yet"), lines[4]);
        assertFalse(Files.exists(out), "no model from a diverged run");
    }
}
