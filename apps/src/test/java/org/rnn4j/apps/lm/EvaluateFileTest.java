package org.rnn4j.apps.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.nn.CellKind;

/** Streaming evaluation of a file equals in-memory evaluation of the same tokens, block by block. */
class EvaluateFileTest {
    @TempDir
    Path dir;

    @Test
    void blocksOverlapByOneTokenSoEveryTokenIsScored() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2600; i++) sb.append((char) ('a' + (i * 7 + i / 13) % 5)).append(i % 40 == 39 ? "\n" : "");
        sb.append("QQ"); // unseen by the vocabulary below
        Path f = Files.writeString(dir.resolve("t.txt"), sb);
        Vocabulary v = StatefulTest.vocab(6); // <unk>, a..e
        LanguageModel lm = LanguageModel.create(v, CellKind.LSTM, 4, 6, 1, 0, 5);
        LmEvaluator ev = new LmEvaluator(lm);
        int[] ids = v.encode(sb.toString());
        int block = 1000;
        EvalResult expected = EvalResult.EMPTY;
        for (int start = 0; start + 1 < ids.length; start += block) {
            expected = expected.plus(new LmEvaluator(lm).evaluate(ids, start, Math.min(ids.length, start + block + 1)));
        }
        EvalResult got = ev.evaluateFile(f, block);
        assertEquals(ids.length - 1 - 67, got.tokens(), "unseen tokens are counted, not scored");
        assertEquals(expected.tokens(), got.tokens());
        assertEquals(expected.sumLoss(), got.sumLoss(), 1e-9 * expected.sumLoss());
        assertEquals(65 + 2, got.unknownTokens()); // 65 line breaks and QQ are not in a..e
        // one block: exactly the in-memory evaluation
        EvalResult whole = ev.evaluateFile(f);
        assertEquals(new LmEvaluator(lm).evaluate(ids, 0, ids.length), whole);
    }
}
