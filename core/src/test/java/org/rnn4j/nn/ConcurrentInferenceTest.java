package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Rng;

/**
 * One model, many threads: each caller has its own {@link ModelPass} (its state), the weights are shared, and
 * every result equals, bit for bit, the one computed alone on one thread.
 */
class ConcurrentInferenceTest {
    static final int THREADS = 16, CALLS = 40, B = 3, T = 7;

    record Request(float[] x, int[] tokens, int[] lengths, float[] h0) {}

    @Test
    void manyThreadsGiveTheSequentialResults() throws Exception {
        for (ModelConfig cfg : List.of(
                new ModelConfig(new RecurrentConfig(CellKind.LSTM, 5, 8, 2, true, true, 0.3), 3, 0),
                new ModelConfig(new RecurrentConfig(CellKind.GRU, 4, 6, 1, false, true, 0), 0, 11))) {
            SequenceModel model = SequenceModel.create(cfg, Init.PYTORCH, 17);
            Rng r = new Rng(5);
            int layersDirs = cfg.rnn().numLayers() * (cfg.rnn().bidirectional() ? 2 : 1);
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < THREADS * CALLS; i++) {
                float[] x = new float[B * T * cfg.rnn().inputSize()];
                for (int j = 0; j < x.length; j++) x[j] = (float) r.nextGaussian();
                int[] tokens = new int[B * T];
                for (int j = 0; j < tokens.length; j++) tokens[j] = r.nextInt(Math.max(1, cfg.vocabSize()));
                int[] lengths = {T, 1 + r.nextInt(T), 1 + r.nextInt(T)};
                float[] h0 = i % 2 == 0 ? null : new float[layersDirs * B * cfg.rnn().hiddenSize()];
                if (h0 != null) for (int j = 0; j < h0.length; j++) h0[j] = (float) r.nextGaussian();
                requests.add(new Request(x, tokens, lengths, h0));
            }
            ModelPass alone = model.newPass(B, T);
            List<float[]> expected = new ArrayList<>();
            for (Request q : requests) expected.add(infer(alone, cfg, q));

            float[] weightsBefore = model.parameters().values().clone();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t * CALLS;
                futures.add(pool.submit(() -> {
                    ModelPass mine = model.newPass(B, T);
                    start.await();
                    List<float[]> out = new ArrayList<>();
                    // Interleaved order, so threads hit different requests at the same moment.
                    for (int c = 0; c < CALLS; c++) out.add(infer(mine, cfg, requests.get(first + (c * 7) % CALLS)));
                    return out;
                }));
            }
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                List<float[]> got = futures.get(t).get();
                for (int c = 0; c < CALLS; c++) {
                    int i = t * CALLS + (c * 7) % CALLS;
                    assertArrayEquals(expected.get(i), got.get(c), cfg.rnn().cell() + " request " + i + " on thread " + t);
                }
            }
            pool.shutdown();
            assertArrayEquals(weightsBefore, model.parameters().values(), "inference never writes the shared weights");
        }
    }

    /** Output and final hidden state of one inference call, copied out of the pass's buffers. */
    static float[] infer(ModelPass pass, ModelConfig cfg, Request q) {
        float[] out = cfg.hasEmbedding() ? pass.forwardTokens(q.tokens(), q.lengths(), q.h0(), null, false, null)
                : pass.forward(q.x(), q.lengths(), q.h0(), null, false, null);
        float[] hn = pass.hn();
        float[] all = java.util.Arrays.copyOf(out, out.length + hn.length);
        System.arraycopy(hn, 0, all, out.length, hn.length);
        return all;
    }
}
