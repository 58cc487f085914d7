package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    static List<String> t(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    @Test
    void editDistance() {
        assertEquals(0, Evaluation.editDistance(t("a b c"), t("a b c")));
        assertEquals(3, Evaluation.editDistance(t(""), t("a b c")));
        assertEquals(1, Evaluation.editDistance(t("a x c"), t("a b c")));
        assertEquals(2, Evaluation.editDistance(t("a b"), t("b a")));
        assertEquals(3, Evaluation.editDistance(t("k i t t e n"), t("s i t t i n g")));
    }

    @Test
    void errorRatesUseTheClosestReference() {
        // source 1: exact match with its second reference; source 2: one substitution against a 4-token reference
        Evaluation.Result r = Evaluation.evaluate(List.of(t("a b"), t("x y z w")),
                List.of(List.of(t("a c"), t("a b")), List.of(t("x y z q"), t("p"))), false);
        assertEquals(1.0 / 6, r.tokenErrorRate(), 1e-12);
        assertEquals(0.5, r.sequenceErrorRate(), 1e-12);
        assertEquals(2, r.sources());
    }

    @Test
    void bleuOfPerfectOutputIs100AndOfAKnownCaseMatchesTheFormula() {
        List<List<String>> out = List.of(t("the cat sat on the mat"));
        assertEquals(100.0, Evaluation.corpusBleu(out, List.of(List.of(t("the cat sat on the mat")))), 1e-9);
        // output "the cat sat on a mat" vs reference "the cat sat on the mat":
        // p1 = 5/6, p2 = 3/5, p3 = 2/4, p4 = 1/3; same length, BP = 1
        double expected = 100 * Math.exp((Math.log(5.0 / 6) + Math.log(3.0 / 5) + Math.log(2.0 / 4) + Math.log(1.0 / 3)) / 4);
        assertEquals(expected, Evaluation.corpusBleu(List.of(t("the cat sat on a mat")), List.of(List.of(t("the cat sat on the mat")))), 1e-9);
        // brevity penalty: output of 4 tokens against the closest reference of 6 -> exp(1 - 6/4)
        double bp = Math.exp(1 - 6.0 / 4);
        assertEquals(100 * bp, Evaluation.corpusBleu(List.of(t("the cat sat on")),
                List.of(List.of(t("the cat sat on the mat"), t("a b c d e f g h")))), 1e-9);
        // clipping: "the the the the" against "the cat" counts "the" once
        assertEquals(0.0, Evaluation.corpusBleu(List.of(t("the the the the")), List.of(List.of(t("the cat")))), 1e-12);
    }
}
