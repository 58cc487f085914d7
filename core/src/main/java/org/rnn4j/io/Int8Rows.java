package org.rnn4j.io;

/**
 * Symmetric 8-bit quantisation, one scale per row: row r of a [rows, cols] matrix is stored as
 * integers q in [-127, 127] with x ≈ q · scale_r, scale_r = max|x_r| / 127, so the largest value of
 * each row is exact and every value is within scale_r / 2 of the original. A row per output unit
 * keeps the error proportional to that unit's own weights (one scale for a whole matrix would let a
 * single large weight flatten every small row to zero).
 */
public record Int8Rows(byte[] values, float[] scales) {
    /** Name suffix of the scale tensor stored next to a quantised tensor. */
    public static final String SCALE_SUFFIX = ".scale";

    /** Quantises {@code data}, viewed as {@code rows} rows of equal length. */
    public static Int8Rows quantize(float[] data, int rows) {
        if (rows < 1 || data.length % rows != 0) {
            throw new IllegalArgumentException("cannot split " + data.length + " values into " + rows + " equal rows");
        }
        int cols = data.length / rows;
        byte[] q = new byte[data.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                float a = Math.abs(data[r * cols + c]);
                if (!(a < Float.POSITIVE_INFINITY)) throw new IllegalArgumentException("row " + r + " holds " + data[r * cols + c]);
                max = Math.max(max, a);
            }
            float scale = max / 127f;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = scale == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(data[r * cols + c] / scale)));
            }
        }
        return new Int8Rows(q, scales);
    }

    /** The float values q · scale_row, row-major. */
    public float[] dequantize() {
        int rows = scales.length, cols = values.length / rows;
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[r * cols + c] = values[r * cols + c] * scales[r];
        }
        return out;
    }
}
