package org.rnn4j.cli.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.io.Json;

/**
 * The committed G2P model (models/g2p-cmudict.safetensors): small enough to ship, says how it was
 * made, and its recorded dev-fold figures are what a fresh evaluation gives.
 */
class BundledG2pModelTest {
    static final Path MODEL = Path.of("..", "models", G2pCommand.MODEL);
    /** SHA-256 of `seq2seq cmudict --dict cmudict-0.7b.train --exclude-words cmudict-0.7b.dev` (the training pairs). */
    static final String TRAIN_SHA256 = "1f7524db47907d63fda6c81d85957a0035e5f9335ff013633d400231664f62e6";

    @TempDir
    Path tmp;

    @Test
    void isSmallAndRecordsItsTrainingCommandsDataAndFigures() throws Exception {
        assumeTrue(Files.isRegularFile(MODEL), "skipped: no bundled model at " + MODEL.toAbsolutePath());
        assertTrue(Files.size(MODEL) < 20_000_000, "the issue asks for a file under about 20 MB, got " + Files.size(MODEL));
        Seq2SeqEnsemble e = Seq2SeqEnsemble.load(MODEL);
        for (Seq2SeqModel m : e.members()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> prov = (Map<String, Object>) Json.parse(m.metadata().get("rnn4j.provenance"));
            assertTrue(prov.get("command").toString().contains("seq2seq train --pairs"), prov.get("command").toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> pairs = (Map<String, Object>) ((Map<String, Object>) prov.get("data")).get("pairs");
            assertEquals(TRAIN_SHA256, pairs.get("sha256"), "every member trained on the same pairs");
        }
        assertNotNull(recorded(e), "dev-fold figures recorded with seq2seq eval --record");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> recorded(Seq2SeqEnsemble e) {
        String json = e.metadata().get("rnn4j.eval.dev.tsv.beam1");
        return json == null ? null : (Map<String, Object>) Json.parse(json);
    }

    @Test
    void recordedDevFiguresAreWhatAFreshEvaluationGives() throws Exception {
        assumeTrue(Files.isRegularFile(MODEL), "skipped: no bundled model at " + MODEL.toAbsolutePath());
        Path dict = Seq2SeqCliTest.DATA.getParent();
        assumeTrue(Files.isDirectory(dict), "skipped: " + dict + " not present (shared data folder absent)");
        Path dev = tmp.resolve("dev.tsv");
        Seq2SeqCliTest.Run c = Seq2SeqCliTest.run(null, "seq2seq", "cmudict", "--dict", dict.resolve("cmudict-0.7b.train").toString(),
                "--only-words", dict.resolve("cmudict-0.7b.dev").toString(), "--out", dev.toString());
        assertEquals(0, c.code(), c.err());
        Map<String, Object> r = recorded(Seq2SeqEnsemble.load(MODEL));
        assertEquals(r.get("pairs_sha256"), Splits.sha256(dev), "the recorded figures are for these pairs");
        Seq2SeqCliTest.Run ev = Seq2SeqCliTest.run(null, "seq2seq", "eval", "--model", MODEL.toString(), "--pairs", dev.toString(),
                "--beam", "1", "--json");
        assertEquals(0, ev.code(), ev.err());
        String json = ev.out().substring(ev.out().indexOf('{'));
        @SuppressWarnings("unchecked")
        Map<String, Object> fresh = (Map<String, Object>) Json.parse(json);
        for (String k : new String[] {"token_error_rate", "sequence_error_rate", "sources"}) {
            assertEquals(((Number) r.get(k)).doubleValue(), ((Number) fresh.get(k)).doubleValue(), 1e-12, k);
        }
    }
}
