package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenStreamsTest {

    /** tokens[i] = i, so every id names its position. */
    private static int[] positions(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = i;
        return t;
    }

    @Test
    void batchesContinueEachStreamAndCoverEveryPairOnce() {
        int from = 3, to = 3 + 47, b = 4, seq = 5; // 46 pairs -> L = 11, 2 left out
        TokenStreams s = new TokenStreams(positions(60), from, to, b);
        assertEquals(11, s.streamLength());
        assertEquals(3, s.batches(seq)); // 5 + 5 + 1
        assertEquals(1, s.batchLength(2, seq));
        int[] seen = new int[60];
        int[] next = new int[b]; // expected next input of each stream
        for (int bi = 0; bi < b; bi++) next[bi] = from + bi * 11;
        for (int k = 0; k < s.batches(seq); k++) {
            int t = s.batchLength(k, seq);
            int[] x = new int[b * t], y = new int[b * t];
            assertEquals(t, s.fill(k, seq, x, y));
            for (int bi = 0; bi < b; bi++) {
                for (int j = 0; j < t; j++) {
                    assertEquals(next[bi], x[bi * t + j], "stream " + bi + " continues where it stopped");
                    assertEquals(x[bi * t + j] + 1, y[bi * t + j], "target is the next token");
                    seen[x[bi * t + j]]++;
                    next[bi]++;
                }
            }
        }
        for (int i = 0; i < 60; i++) {
            int expected = i >= from && i < from + 44 ? 1 : 0; // 4 streams × 11 pairs
            assertEquals(expected, seen[i], "position " + i);
        }
        assertEquals(44, s.tokensPerEpoch());
    }

    @Test
    void exactlyEnoughTokensGiveOneStepPerStream() {
        TokenStreams s = new TokenStreams(positions(5), 0, 5, 4);
        assertEquals(1, s.streamLength());
        int[] x = new int[4], y = new int[4];
        s.fill(0, 100, x, y);
        assertEquals(4, y[3]); // the last token is only a target
        var e = assertThrows(IllegalArgumentException.class, () -> new TokenStreams(positions(4), 0, 4, 4));
        assertTrue(e.getMessage().contains("need at least 5"), e.getMessage());
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(IllegalArgumentException.class, () -> new TokenStreams(positions(10), 5, 11, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenStreams(positions(10), 0, 10, 0));
        TokenStreams s = new TokenStreams(positions(10), 0, 10, 1);
        assertThrows(IllegalArgumentException.class, () -> s.batchLength(3, 3));
        assertThrows(IllegalArgumentException.class, () -> s.batches(0));
    }
}
