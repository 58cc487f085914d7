package org.rnn4j.cli.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.cli.Main;
import org.rnn4j.io.Json;

/** The seq2seq and g2p commands end to end: outputs, files, exit codes and messages. */
class Seq2SeqCliTest {
    /** The shared data folder beside the repository (as the apps module sets rnn4j.shared), for the real CMUdict. */
    static final Path DATA = Path.of(System.getProperty("rnn4j.shared", "../../shared/data"), "g2p", "cmudict-0.7b.dev");

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String stdin, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StringWriter pout = new StringWriter(), perr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = Main.run(args, new PrintWriter(pout, true), new PrintWriter(perr, true));
            return new Run(code, out.toString(StandardCharsets.UTF_8) + pout, err.toString(StandardCharsets.UTF_8) + perr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    /** A small toy task that needs no data files: reverse a word of letters A-E. */
    private Path toyPairs(String name, int n, long seed) throws Exception {
        org.rnn4j.tensor.Rng r = new org.rnn4j.tensor.Rng(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = 1 + r.nextInt(5);
            StringBuilder w = new StringBuilder();
            for (int j = 0; j < len; j++) w.append((char) ('A' + r.nextInt(5)));
            sb.append(w).append('\t').append(String.join(" ", w.reverse().toString().split(""))).append('\n');
        }
        Path f = tmp.resolve(name);
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void trainTranslateEvalOnAToyTask() throws Exception {
        Path train = toyPairs("train.tsv", 200, 1), val = toyPairs("val.tsv", 60, 2);
        Path out = tmp.resolve("out");
        Run t = run(null, "seq2seq", "train", "--pairs", train.toString(), "--val-pairs", val.toString(), "--source-tokens", "chars",
                "--target-tokens", "words", "--hidden-size", "16", "--embedding-size", "8", "--epochs", "2", "--batch-size", "16",
                "--seed", "3", "--out", out.toString(), "--decode-validation", "20");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("wrote "), t.out());
        for (String f : List.of("model.safetensors", "metrics.json", "loss.png")) assertTrue(Files.size(out.resolve(f)) > 0, f);
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        assertTrue(metrics.get("command").toString().startsWith("rnn4j seq2seq train --pairs"), metrics.get("command").toString());
        assertTrue(((List<?>) metrics.get("history")).size() >= 1);
        String model = out.resolve("model.safetensors").toString();

        Path pngs = tmp.resolve("att");
        Run tr = run("ABC\nzz\nEDCBA\n", "seq2seq", "translate", "--model", model, "--beam", "3", "--attention-png", pngs.toString());
        assertEquals(2, tr.code(), "a line with an unknown character makes the exit code 2");
        String[] lines = tr.out().split("\n", -1);
        assertEquals(4, lines.length, "one output line per input line (and a final newline): " + tr.out());
        assertEquals("", lines[1], "the unreadable line gives an empty output");
        assertTrue(tr.err().contains("standard input: line 2: unknown character \"z\" (U+007A) at position 1"), tr.err());
        assertTrue(Files.exists(pngs.resolve("line-00001.png")) && Files.exists(pngs.resolve("line-00003.png")));
        assertTrue(!Files.exists(pngs.resolve("line-00002.png")));

        Path json = tmp.resolve("eval.json");
        Run ev = run(null, "seq2seq", "eval", "--model", model, "--pairs", val.toString(), "--beam", "2", "--json", json.toString());
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("token_error_rate"), ev.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) Json.readFile(json);
        for (String k : List.of("token_error_rate", "sequence_error_rate", "bleu", "sources")) assertTrue(j.containsKey(k), k);
        // --json alone: the JSON object on standard output (the contract)
        Run bare = run(null, "seq2seq", "eval", "--model", model, "--pairs", val.toString(), "--beam", "2", "--json");
        assertEquals(0, bare.code(), bare.err());
        String last = bare.out().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.endsWith("}") && bare.out().contains("\"sequence_error_rate\""), bare.out());

        // ensembles: two copies of one model decode exactly as the model; float16 halves the file
        Path pair = tmp.resolve("pair.safetensors"), half = tmp.resolve("half.safetensors");
        Run en = run(null, "seq2seq", "ensemble", "--model", model, "--model", model, "--out", pair.toString());
        assertEquals(0, en.code(), en.err());
        assertTrue(en.out().contains("2 models, float32"), en.out());
        Run twice = run(null, "seq2seq", "eval", "--model", pair.toString(), "--pairs", val.toString(), "--beam", "2", "--json");
        Run repeated = run(null, "seq2seq", "eval", "--model", model, "--model", model, "--pairs", val.toString(), "--beam", "2", "--json");
        String figures = ev.out().lines().filter(l -> l.startsWith("token_error_rate")).findFirst().orElseThrow();
        assertTrue(twice.out().contains(figures) && repeated.out().contains(figures), figures + " vs\n" + twice.out() + "\n" + repeated.out());
        assertTrue(repeated.out().contains("\"model\" : \"" + model + " + " + model + "\"") || repeated.out().contains(model + " + " + model),
                repeated.out());
        Run mixture = run(null, "seq2seq", "eval", "--model", model, "--model", model, "--combine", "mixture", "--pairs", val.toString(),
                "--beam", "2");
        assertTrue(mixture.out().contains(figures), mixture.out());
        Run bogus = run(null, "seq2seq", "eval", "--model", model, "--combine", "average", "--pairs", val.toString());
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("combination must be product or mixture, got 'average'"), bogus.err());
        Run h = run(null, "seq2seq", "ensemble", "--model", model, "--float16", "--out", half.toString());
        assertEquals(0, h.code(), h.err());
        assertTrue(Files.size(half) < 0.6 * Files.size(Path.of(model)), "float16 file is about half the size");
        Path quarter = tmp.resolve("quarter.safetensors");
        Run q = run(null, "seq2seq", "ensemble", "--model", model, "--int8", "--out", quarter.toString());
        assertEquals(0, q.code(), q.err());
        assertTrue(Files.size(quarter) < Files.size(half), "int8 file is smaller than the float16 one (the tiny model has a relatively large header)");
        Run qe = run(null, "seq2seq", "eval", "--model", quarter.toString(), "--pairs", val.toString(), "--beam", "2");
        assertEquals(0, qe.code(), qe.err());
        Run both = run(null, "seq2seq", "ensemble", "--model", model, "--int8", "--float16", "--out", tmp.resolve("x").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("choose one of --float16 and --int8"), both.err());
        long before = Files.size(half);
        Run again = run(null, "seq2seq", "ensemble", "--model", model, "--out", half.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains(half + " already exists"), again.err());
        assertEquals(before, Files.size(half), "the existing file is untouched");

        Run g = run(null, "g2p", "--model", model, "abc", "xyz");
        assertEquals(2, g.code());
        assertTrue(g.out().startsWith("ABC  "), "g2p upper-cases and prints CMUdict format: " + g.out());
    }

    @Test
    void badTrainingDataNamesTheLineAndExitsWith2() throws Exception {
        Path bad = tmp.resolve("bad.tsv");
        Files.writeString(bad, "abc\tc b a\nno tab\n");
        Run r = run(null, "seq2seq", "train", "--pairs", bad.toString(), "--out", tmp.resolve("o").toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains(bad + ": line 2: expected source<TAB>target, found no tab"), r.err());
        Files.writeString(bad, "abc\tc b a\nabcdef\t \n");
        r = run(null, "seq2seq", "train", "--pairs", bad.toString(), "--out", tmp.resolve("o").toString(), "--quiet");
        assertTrue(r.err().contains("line 2: the target (after the tab) is empty"), r.err());
        Files.writeString(bad, "abc\tc b a\nabcdef\tf e d c b a\n");
        r = run(null, "seq2seq", "train", "--pairs", bad.toString(), "--max-length", "5", "--out", tmp.resolve("o").toString(), "--quiet");
        assertTrue(r.err().contains("line 2: the source has 6 tokens, more than the maximum length 5"), r.err());
    }

    @Test
    void cmudictConversionAndEvaluationOnRealData() throws Exception {
        assumeTrue(Files.isRegularFile(DATA), "skipped: " + DATA + " not present (shared data folder absent)");
        Path pairs = tmp.resolve("dev.tsv");
        Run c = run(null, "seq2seq", "cmudict", "--dict", DATA.toString(), "--out", pairs.toString());
        assertEquals(0, c.code(), c.err());
        List<String> lines = Files.readAllLines(pairs);
        assertEquals(5447, lines.size());
        assertEquals("AARDEMA\tAA R D EH M AH", lines.get(0));
    }

    @Test
    void bundledG2pModelPronouncesWords() {
        Path model = Path.of("..", "models", G2pCommand.MODEL);
        assumeTrue(Files.isRegularFile(model), "skipped: no bundled model at " + model.toAbsolutePath());
        Run g = run(null, "g2p", "hello", "world");
        assertEquals(0, g.code(), g.err());
        // CMUdict itself lists both pronunciations of HELLO
        assertTrue(g.out().equals("HELLO  HH AH L OW\nWORLD  W ER L D\n") || g.out().equals("HELLO  HH EH L OW\nWORLD  W ER L D\n"), g.out());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(70), Durations.parse("70m"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofHours(2), Durations.parse("PT2H"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("70 minutes"));
    }
}
