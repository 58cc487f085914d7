package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;
import org.rnn4j.tensor.Rng;

class LmTrainerTest {
    @TempDir
    Path dir;

    static String periodic(int n) {
        StringBuilder sb = new StringBuilder();
        String[] words = {"to be", "or not", "to be", "that is", "the question"};
        for (int i = 0; sb.length() < n; i++) sb.append(words[i % words.length]).append(i % 7 == 6 ? "\n" : " ");
        return sb.substring(0, n);
    }

    @Test
    void learnsAPeriodicTextKeepsTheBestAndSavesIt() throws Exception {
        Corpus corpus = Corpus.fromText(periodic(6000), Level.CHAR, 100, 0.1);
        LanguageModel lm = LanguageModel.create(corpus.vocabulary(), CellKind.LSTM, 8, 32, 1, 0, 1);
        double before = new LmEvaluator(lm).evaluate(corpus.tokens(), corpus.trainEnd(), corpus.size()).loss();
        Path ckpt = dir.resolve("best.safetensors");
        List<LmTrainResult.EvalPoint> seen = new ArrayList<>();
        LmTrainConfig cfg = new LmTrainConfig(25, 8, 1e-2, 5, 8, null, 0, 10, 0.5, 1);
        LmTrainResult r = LmTrainer.train(lm, corpus, cfg, ckpt, new LmTrainer.Listener() {
            @Override
            public void evaluated(LmTrainResult.EvalPoint p) {
                seen.add(p);
            }
        });
        assertEquals(seen, r.history());
        assertEquals("epochs", r.stopReason());
        assertEquals(8.0, r.epochs(), 1e-9);
        assertTrue(r.bestValLoss() < 0.5 * before, "val loss " + before + " -> " + r.bestValLoss());
        double min = seen.stream().mapToDouble(LmTrainResult.EvalPoint::valLoss).min().orElseThrow();
        assertEquals(min, r.bestValLoss());
        // the model in memory and the checkpoint both hold the best weights
        double now = new LmEvaluator(lm).evaluate(corpus.tokens(), corpus.trainEnd(), corpus.size()).loss();
        assertEquals(r.bestValLoss(), now, 1e-12);
        LanguageModel loaded = LanguageModel.load(ckpt);
        assertArrayEquals(lm.network().parameters().values(), loaded.network().parameters().values());
        assertEquals(corpus.vocabulary().tokens(), loaded.vocabulary().tokens());
        assertEquals(r.bestStep(), ((Number) loaded.training().get("step")).longValue());
        // and it has learned the text: greedy generation reproduces it
        LanguageModelSession s = loaded.newSession();
        s.feed("to be or not to be that is the");
        StringBuilder sb = new StringBuilder();
        Sampler greedy = new Sampler(SamplingConfig.of(0), loaded.vocabulary().size());
        for (int i = 0; i < 9; i++) sb.append(s.generateText(greedy, new Rng(0)));
        assertEquals(" question", sb.toString());
    }

    @Test
    void timeBudgetStopsEarly() throws Exception {
        Corpus corpus = Corpus.fromText(periodic(20000), Level.CHAR, 100, 0.1);
        LanguageModel lm = LanguageModel.create(corpus.vocabulary(), CellKind.GRU, 8, 16, 1, 0, 1);
        LmTrainConfig cfg = new LmTrainConfig(20, 4, 1e-2, 5, 1000, Duration.ofMillis(400), 0, 0, 0.5, 1);
        long t0 = System.nanoTime();
        LmTrainResult r = LmTrainer.train(lm, corpus, cfg, null, null);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals("time budget", r.stopReason());
        assertTrue(secs < 5, "stopped after " + secs + " s");
        assertTrue(Double.isFinite(r.bestValLoss()));
        assertTrue(r.epochs() < 1000);
        assertEquals(r.steps(), r.history().get(r.history().size() - 1).step(), "a last evaluation at the stop");
    }

    @Test
    void wordLevelTrainsAndTooShortTextIsAClearError() throws Exception {
        Corpus corpus = Corpus.fromText(periodic(3000), Level.WORD, 6, 0.1);
        assertEquals(6, corpus.vocabulary().size());
        LanguageModel lm = LanguageModel.create(corpus.vocabulary(), CellKind.LSTM, 8, 8, 2, 0.2, 1);
        LmTrainResult r = LmTrainer.train(lm, corpus, LmTrainConfig.defaults().withBatch(4, 10).withEpochs(2), null, null);
        assertTrue(r.bestValLoss() < Math.log(6), "better than uniform: " + r.bestValLoss());
        var e = assertThrows(IllegalArgumentException.class,
                () -> LmTrainer.train(lm, corpus, LmTrainConfig.defaults().withBatch(100_000, 10), null, null));
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
    }

    @Test
    void loadRejectsAModelWithoutVocabulary() throws Exception {
        Path f = dir.resolve("plain.safetensors");
        org.rnn4j.nn.SequenceModel m = org.rnn4j.nn.SequenceModel.create(new org.rnn4j.nn.ModelConfig(
                org.rnn4j.nn.RecurrentConfig.of(CellKind.GRU, 3, 4), 5, 5), org.rnn4j.nn.Init.PYTORCH, 1);
        org.rnn4j.io.ModelFile.save(f, m);
        var e = assertThrows(org.rnn4j.io.FormatException.class, () -> LanguageModel.load(f));
        assertTrue(e.getMessage().contains("not a language model"), e.getMessage());
        Files.delete(f);
    }
}
