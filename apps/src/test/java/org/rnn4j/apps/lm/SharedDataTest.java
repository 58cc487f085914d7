package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The splits the documented runs use (and tools/lm/compare_torch.py rebuilds). Skipped, with the
 * reason shown, where the shared data folder is absent.
 */
class SharedDataTest {
    static final Path DATA = Path.of(System.getProperty("rnn4j.data", "/work/shared/data/text"));

    static Path require(String name) {
        Path p = DATA.resolve(name);
        assumeTrue(Files.isRegularFile(p), "skipped: " + p + " is absent (set -Drnn4j.data=FOLDER to point at the shared data)");
        return p;
    }

    @Test
    void tinyShakespeareCharSplit() throws Exception {
        Corpus c = Corpus.load(require("tinyshakespeare.txt"), Level.CHAR, 10000, 0.1, 1L << 30);
        assertEquals(1_115_394, c.size());
        assertEquals(1_003_855, c.trainTokens());
        assertEquals(111_539, c.validationTokens());
        assertEquals(66, c.vocabulary().size()); // 65 characters + <unk>
        assertEquals(0, c.unknownValidationTokens());
        assertEquals(32, LmEvaluator.streamsFor(c.validationTokens()));
    }

    @Test
    void namesCharSplit() throws Exception {
        Corpus c = Corpus.load(require("names.txt"), Level.CHAR, 10000, 0.1, 1L << 30);
        assertEquals(c.size() - (int) (c.size() * 0.1), c.trainTokens());
        assertEquals(Vocabulary.UNK_ID, 0);
    }
}
