package org.rnn4j.apps.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Json;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Parameters;
import org.rnn4j.tensor.Npy;

/**
 * The encoder-decoder against an independent PyTorch implementation of the same architecture
 * (tools/reference/make_seq2seq_fixtures.py, float64): loss, logits at every non-padding position,
 * every parameter gradient, and the log-probabilities of step-by-step greedy decoding.
 */
class Seq2SeqParityTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/seq2seq");

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(Path dir) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(dir.resolve("meta.json")));
    }

    static int num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    static Seq2SeqModel load(Path dir, Map<String, Object> meta) throws IOException {
        Seq2SeqConfig c = new Seq2SeqConfig(CellKind.parse((String) meta.get("cell")), num(meta, "embedding_size"), num(meta, "hidden_size"),
                num(meta, "layers"), Attention.Score.parse((String) meta.get("attention")), 0);
        Seq2SeqModel m = new Seq2SeqModel(c, Tiny.vocab(num(meta, "source_vocab") - 4), Tiny.vocab(num(meta, "target_vocab") - 4),
                Tokenization.CHARS, Tokenization.WORDS);
        Parameters p = m.parameters();
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("weights"))) {
            for (Path f : s.sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.npy$", "");
                p.set(name, Npy.read(f).toTensor());
                names.add(name);
            }
        }
        List<String> expected = p.list().stream().map(Parameters.Param::name).sorted().toList();
        assertEquals(expected, names.stream().sorted().toList(), "parameter names must equal the PyTorch state_dict keys");
        return m;
    }

    static int[] ints(Path f) throws IOException {
        return Arrays.stream(Npy.read(f).toLongs()).mapToInt(Math::toIntExact).toArray();
    }

    static void close(String what, double expected, double actual, double atol, double rtol) {
        if (Math.abs(expected - actual) > atol + rtol * Math.abs(expected)) fail(what + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossLogitsGradientsAndGreedyStepsMatchPyTorch(Path dir) throws IOException {
        Map<String, Object> meta = meta(dir);
        Seq2SeqModel m = load(dir, meta);
        int[] src = ints(dir.resolve("src.npy")), srcLen = ints(dir.resolve("src_len.npy"));
        int[] tgtIn = ints(dir.resolve("tgt_in.npy")), tgtOut = ints(dir.resolve("tgt_out.npy"));
        int b = srcLen.length, s = src.length / b, t = tgtIn.length / b, v = num(meta, "target_vocab");
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int n = 0;
            while (n < t && tgtOut[i * t + n] != -100) n++;
            ex.add(new Example(Arrays.copyOfRange(src, i * s, i * s + srcLen[i]), Arrays.copyOfRange(tgtIn, i * t + 1, i * t + n), i + 1));
        }
        Batch batch = Batch.of(ex);
        assertEquals(s, batch.sourceLen());
        assertEquals(t, batch.targetLen());
        assertTrue(Arrays.equals(tgtOut, batch.targetOut()), "batch layout must match the fixture's");

        Seq2SeqPass pass = m.newPass();
        m.parameters().zeroGrad();
        double loss = pass.forward(batch, true, null);
        close(dir.getFileName() + " loss", Npy.read(dir.resolve("loss.npy")).toDoubles()[0], loss, 1e-6, 1e-5);
        double[] logits = Npy.read(dir.resolve("logits.npy")).toDoubles(); // [B, T, V]
        float[] mine = pass.logits();                                       // [T, B, V]
        for (int i = 0; i < b; i++) {
            for (int step = 0; step < t; step++) {
                if (tgtOut[i * t + step] == -100) continue;
                for (int j = 0; j < v; j++) {
                    close("logits[" + i + "," + step + "," + j + "]", logits[(i * t + step) * v + j], mine[(step * b + i) * v + j], 1e-5, 1e-5);
                }
            }
        }
        pass.backward();
        Parameters p = m.parameters();
        for (Parameters.Param q : p.list()) {
            double[] g = Npy.read(dir.resolve("grads").resolve(q.name() + ".npy")).toDoubles();
            float[] a = p.grad(q.name()).data();
            int worst = -1;
            double excess = 0;
            for (int i = 0; i < g.length; i++) {
                double e = Math.abs(g[i] - a[i]) - (2e-6 + 1e-4 * Math.abs(g[i]));
                if (e > excess) {
                    excess = e;
                    worst = i;
                }
            }
            if (worst >= 0) fail(dir.getFileName() + " grad " + q.name() + "[" + worst + "]: expected " + g[worst] + ", got " + a[worst]);
        }

        // step-by-step decoding (the inference path) against PyTorch's greedy steps
        double[] glogp = Npy.read(dir.resolve("greedy_logp.npy")).toDoubles(); // [steps, B, V]
        int steps = num(meta, "greedy_max_length");
        pass.startDecoding(src, b, s, srcLen, 1);
        int[] prev = new int[b];
        Arrays.fill(prev, Vocabulary.BOS_ID);
        for (int step = 0; step < steps; step++) {
            float[] lp = pass.step(prev);
            for (int i = 0; i < b; i++) {
                int best = 0;
                for (int j = 0; j < v; j++) {
                    double e = glogp[(step * b + i) * v + j];
                    close("greedy step " + step + " logp[" + i + "," + j + "]", e, lp[i * v + j], 1e-5, 1e-5);
                    if (e > glogp[(step * b + i) * v + best]) best = j;
                }
                prev[i] = best;
            }
            pass.reorder(null);
        }
        // and the Translator's greedy outputs
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < b; i++) sources.add(Arrays.copyOfRange(src, i * s, i * s + srcLen[i]));
        List<Translator.Result> res = new Translator(m, 1, steps, 0, 2, false).translate(sources);
        @SuppressWarnings("unchecked")
        List<List<Number>> greedy = (List<List<Number>>) meta.get("greedy");
        for (int i = 0; i < b; i++) {
            int[] want = greedy.get(i).stream().mapToInt(Number::intValue).toArray();
            assertTrue(Arrays.equals(want, res.get(i).ids()), "greedy output " + i + ": expected " + Arrays.toString(want)
                    + ", got " + Arrays.toString(res.get(i).ids()));
        }
    }
}
