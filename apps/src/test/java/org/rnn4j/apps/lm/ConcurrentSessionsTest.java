package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.CellKind;
import org.rnn4j.tensor.Rng;

/** Many sessions on one model in parallel give exactly what they give one after another. */
class ConcurrentSessionsTest {

    static int[] generate(LanguageModel lm, long seed, String prime) {
        LanguageModelSession s = lm.newSession();
        Sampler sampler = new Sampler(new SamplingConfig(0.9, 5, 0.95), lm.vocabulary().size());
        Rng rng = new Rng(seed);
        s.feed(prime);
        int[] out = new int[300];
        for (int i = 0; i < out.length; i++) out[i] = s.generate(sampler, rng);
        return out;
    }

    @Test
    void parallelSessionsEqualSequentialOnes() throws Exception {
        LanguageModel lm = LanguageModel.create(StatefulTest.vocab(20), CellKind.LSTM, 8, 16, 2, 0.5, 3);
        int n = 12;
        int[][] sequential = new int[n][];
        for (int i = 0; i < n; i++) sequential[i] = generate(lm, i, "abc".repeat(i % 3));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final int k = i;
                futures.add(pool.submit(() -> generate(lm, k, "abc".repeat(k % 3))));
            }
            for (int i = 0; i < n; i++) assertArrayEquals(sequential[i], futures.get(i).get(), "session " + i);
        } finally {
            pool.shutdownNow();
        }
    }
}
