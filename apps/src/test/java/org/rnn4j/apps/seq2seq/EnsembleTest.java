package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.SafetensorsDtype;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;

/** Decoding with several models at once, and ensemble files. */
class EnsembleTest {
    @TempDir
    Path tmp;

    private static Seq2SeqModel a() {
        return Tiny.model(CellKind.LSTM, Attention.Score.GENERAL, 2, 0, 3, 6, 7, 0.8f);
    }

    private static Seq2SeqModel b() {
        // another cell, size and attention: members only have to share their tokens
        return Tiny.model(CellKind.GRU, Attention.Score.ADDITIVE, 1, 0, 4, 8, 11, 0.8f);
    }

    /**
     * Greedy decoding of the combination, computed independently: each member decodes one source on
     * its own pass, and the next token is the argmax of (p_a + p_b) / 2 (mixture) or of the
     * renormalised √(p_a · p_b) (product), in double precision.
     */
    @ParameterizedTest
    @EnumSource(Seq2SeqEnsemble.Combination.class)
    void greedyEnsembleFollowsTheCombinedDistribution(Seq2SeqEnsemble.Combination how) {
        Seq2SeqModel ma = a(), mb = b();
        int v = ma.targetVocabulary().size();
        Seq2SeqEnsemble both = Seq2SeqEnsemble.of(List.of(ma, mb)).combinedBy(how);
        List<Translator.Result> got = new Translator(both, 1, 8, 1.0, 16, false).translate(DecodingTest.sources());
        int differsFromA = 0;
        List<Translator.Result> aloneA = new Translator(ma, 1, 8, 1.0, 16, false).translate(DecodingTest.sources());
        for (int i = 0; i < DecodingTest.sources().size(); i++) {
            int[] src = DecodingTest.sources().get(i);
            Seq2SeqPass pa = ma.newPass(), pb = mb.newPass();
            pa.startDecoding(src, 1, src.length, new int[] {src.length}, 1);
            pb.startDecoding(src, 1, src.length, new int[] {src.length}, 1);
            List<Integer> ids = new ArrayList<>();
            double score = 0;
            int prev = Vocabulary.BOS_ID;
            for (int step = 0; step < 8; step++) {
                float[] la = pa.step(new int[] {prev}), lb = pb.step(new int[] {prev});
                double[] p = new double[v];
                double total = 0;
                for (int j = 0; j < v; j++) {
                    p[j] = how == Seq2SeqEnsemble.Combination.MIXTURE ? (Math.exp(la[j]) + Math.exp(lb[j])) / 2
                            : Math.sqrt(Math.exp(la[j]) * Math.exp(lb[j]));
                    total += p[j];
                }
                int best = 0;
                for (int j = 1; j < v; j++) if (p[j] > p[best]) best = j;
                score += Math.log(p[best] / total);
                pa.reorder(null);
                pb.reorder(null);
                if (best == Vocabulary.EOS_ID) break;
                ids.add(best);
                prev = best;
            }
            assertArrayEquals(ids.stream().mapToInt(Integer::intValue).toArray(), got.get(i).ids(), how + " source " + i);
            assertEquals(score, got.get(i).score(), 1e-4, how + " score of source " + i);
            if (!java.util.Arrays.equals(aloneA.get(i).ids(), got.get(i).ids())) differsFromA++;
        }
        assertTrue(differsFromA > 0, "the second member changes some outputs (else this test proves little)");
    }

    @Test
    void anEnsembleOfCopiesDecodesLikeTheModel() throws Exception {
        Seq2SeqModel m = a();
        Path file = tmp.resolve("a.safetensors");
        m.save(file);
        Seq2SeqEnsemble twice = Seq2SeqEnsemble.load(List.of(file, file));
        assertEquals(2, twice.size());
        assertEquals(Seq2SeqEnsemble.Combination.PRODUCT, twice.combination(), "the default");
        for (int beam : new int[] {1, 3}) {
            if (beam == 3) twice = twice.combinedBy(Seq2SeqEnsemble.Combination.MIXTURE);
            List<Translator.Result> one = new Translator(m, beam, 8, 1.0, 4, false).translate(DecodingTest.sources());
            List<Translator.Result> two = new Translator(twice, beam, 8, 1.0, 4, false).translate(DecodingTest.sources());
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i).ids(), two.get(i).ids(), "beam " + beam + " source " + i);
                assertEquals(one.get(i).score(), two.get(i).score(), 1e-5, "beam " + beam + " source " + i);
            }
        }
    }

    @Test
    void ensembleFilesRoundTripInFloat32Float16AndInt8() throws Exception {
        Seq2SeqModel ma = a(), mb = b();
        ma.metadata().put("command", "train a");
        Seq2SeqEnsemble e = Seq2SeqEnsemble.of(List.of(ma, mb));
        e.metadata().put("note", "pair");
        for (SafetensorsDtype storage : new SafetensorsDtype[] {SafetensorsDtype.F32, SafetensorsDtype.F16, SafetensorsDtype.I8}) {
            Path file = tmp.resolve("e-" + storage + ".safetensors");
            e.save(file, storage);
            Seq2SeqEnsemble back = Seq2SeqEnsemble.load(file);
            assertEquals(storage, back.storage());
            assertEquals(2, back.size());
            assertEquals("pair", back.metadata().get("note"));
            assertEquals("train a", back.members().get(0).metadata().get("command"));
            assertEquals(CellKind.GRU, back.members().get(1).config().cell());
            for (int k = 0; k < 2; k++) {
                float[] want = e.members().get(k).parameters().values(), got = back.members().get(k).parameters().values();
                for (int i = 0; i < want.length; i++) {
                    // float16 keeps 11 significant bits: relative error <= 2^-11 (values here are far from subnormal);
                    // int8 rows: within half a step of the row's scale, at most 0.8 / 127 / 2 for these U(±0.8) weights
                    double tol = switch (storage) {
                        case F32 -> 0;
                        case F16 -> Math.abs(want[i]) * 0x1p-11 + 1e-7;
                        default -> 0.8 / 127 / 2 + 1e-7;
                    };
                    assertEquals(want[i], got[i], tol, "member " + k + " parameter " + i);
                }
            }
        }
        // a one-member "ensemble" is written as an ordinary model file
        Path single = tmp.resolve("single.safetensors");
        Seq2SeqEnsemble.of(List.of(mb)).save(single, SafetensorsDtype.F16);
        assertEquals(CellKind.GRU, Seq2SeqModel.load(single).config().cell());
        // and an ensemble file is not a single model
        FormatException ex = assertThrows(FormatException.class, () -> Seq2SeqModel.load(tmp.resolve("e-F32.safetensors")));
        assertTrue(ex.getMessage().contains("an ensemble of seq2seq models, not a single model"), ex.getMessage());
    }

    @Test
    void membersMustShareTheirVocabularies() throws Exception {
        Seq2SeqModel ma = a();
        Seq2SeqModel other = new Seq2SeqModel(ma.config(), Tiny.vocab(5), Tiny.vocab(5), Tokenization.CHARS, Tokenization.CHARS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqEnsemble.of(List.of(ma, other)));
        assertEquals("model 2 cannot join an ensemble with model 1: its target vocabulary differs (members must be trained on the same"
                + " data with the same --source-tokens/--target-tokens)", e.getMessage());
        Path fa = tmp.resolve("a.safetensors"), fo = tmp.resolve("o.safetensors");
        ma.save(fa);
        other.save(fo);
        FormatException f = assertThrows(FormatException.class, () -> Seq2SeqEnsemble.load(List.of(fa, fo)));
        assertTrue(f.getMessage().contains(fo + " cannot join an ensemble with " + fa + ": its target vocabulary differs"), f.getMessage());
    }
}
