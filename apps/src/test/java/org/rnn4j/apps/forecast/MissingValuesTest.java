package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MissingValuesTest {
    private static final double N = Double.NaN;

    private static long[] hours(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = 3600L * i;
        return t;
    }

    @Test
    void shortRunsInterpolateLongRunsFillForwardLeadingFillBackward() {
        double[] v = {N, N, 1, N, 3, N, N, N, 7, N};
        MissingValues.FillCounts c = MissingValues.fill(v, hours(v.length), 2);
        // leading -> 1; [3] interpolated 1..3 -> 2; run of 3 > limit 2 -> forward 3,3,3; trailing -> 7
        assertArrayEquals(new double[] {1, 1, 1, 2, 3, 3, 3, 3, 7, 7}, v, 1e-12);
        assertEquals(new MissingValues.FillCounts(7, 1, 4, 2), c);
    }

    @Test
    void interpolationIsLinearInTimeNotInRows() {
        double[] v = {0, N, 10};
        long[] t = {0, 9, 10}; // the middle row is 90% of the way
        MissingValues.fill(v, t, 5);
        assertEquals(9.0, v[1], 1e-12);
    }

    @Test
    void limitZeroMeansForwardFillOnly() {
        double[] v = {2, N, 4};
        MissingValues.FillCounts c = MissingValues.fill(v, hours(3), 0);
        assertArrayEquals(new double[] {2, 2, 4}, v);
        assertEquals(1, c.forwardFilled());
    }

    @Test
    void nothingMissingChangesNothing() {
        double[] v = {1, 2, 3};
        assertEquals(new MissingValues.FillCounts(0, 0, 0, 0), MissingValues.fill(v, hours(3), 3));
        assertArrayEquals(new double[] {1, 2, 3}, v);
    }

    @Test
    void allMissingIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> MissingValues.fill(new double[] {N, N}, hours(2), 3));
    }

    @Test
    void lastObservedNeverLooksAhead() {
        assertArrayEquals(new double[] {5, 5, 6, 6, 6, 8}, MissingValues.lastObserved(new double[] {N, 5, 6, N, N, 8}));
    }
}
