package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Tensor;

/** Row-wise 8-bit quantisation and its safetensors storage. */
class Int8RowsTest {
    @TempDir
    Path dir;

    @Test
    void knownValues() {
        // row 0: max 2.54 -> scale 0.02; row 1 all zero -> scale 0, values 0
        Int8Rows q = Int8Rows.quantize(new float[] {2.54f, -1.26f, 0.011f, 0f, 0f, 0f}, 2);
        assertArrayEquals(new byte[] {127, -63, 1, 0, 0, 0}, q.values());
        assertEquals(0.02f, q.scales()[0], 1e-7f);
        assertEquals(0f, q.scales()[1]);
    }

    @Property(tries = 200)
    void everyValueIsWithinHalfAStepAndEachRowsLargestIsExact(@ForAll @Size(min = 1, max = 40) float[] seed,
            @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @FloatRange(min = 0.01f, max = 100f) float magnitude) {
        float[] data = new float[rows * seed.length];
        for (int i = 0; i < data.length; i++) {
            float s = seed[i % seed.length];
            data[i] = Float.isFinite(s) ? (float) Math.sin(s + i) * magnitude * (1 + i % 3) : 0f;
        }
        Int8Rows q = Int8Rows.quantize(data, rows);
        float[] back = q.dequantize();
        int cols = seed.length;
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) max = Math.max(max, Math.abs(data[r * cols + c]));
            for (int c = 0; c < cols; c++) {
                float x = data[r * cols + c];
                assertTrue(Math.abs(back[r * cols + c] - x) <= q.scales()[r] / 2 * 1.0001f + 1e-30f, "row " + r + " col " + c);
                if (Math.abs(x) == max) assertEquals(x, back[r * cols + c], max * 1e-6f, "the row's largest value");
            }
        }
    }

    @Test
    void safetensorsStoresMatricesAsI8WithScalesAndVectorsAsF32() throws IOException {
        SequencedMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1f, -0.5f, 0.25f, 3f, 0f, -3f}, 2, 3));
        t.put("b", Tensor.of(new float[] {0.1234567f, -7f}, 2));
        Path p = dir.resolve("q.safetensors");
        Safetensors.write(p, t, null, SafetensorsDtype.I8);
        SafetensorsFile f = Safetensors.read(p);
        assertEquals("I8", f.dtype("w"));
        assertEquals("F32", f.dtype("w.scale"));
        assertEquals("F32", f.dtype("b"));
        assertArrayEquals(new int[] {2, 3}, f.shape("w"));
        assertArrayEquals(new float[] {0.1234567f, -7f}, f.dequantized("b").data(), "vectors are exact");
        float[] w = f.dequantized("w").data();
        float[] want = {1f, -0.5f, 0.25f, 3f, 0f, -3f};
        for (int i = 0; i < 6; i++) assertEquals(want[i], w[i], (i < 3 ? 1f : 3f) / 127 / 2 + 1e-7, "w[" + i + "]");
        // without its scale tensor an I8 tensor is just integers
        assertEquals(127f, f.tensor("w").data()[0]);
        assertThrows(IllegalArgumentException.class, () -> Int8Rows.quantize(new float[5], 2));
    }
}
