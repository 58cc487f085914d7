package org.rnn4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.cli.Main;
import org.rnn4j.io.Json;

class LmCommandTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path model;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertUserError(Run r, String part) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().contains(part), "stderr should mention '" + part + "': " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @BeforeAll
    static void trainTinyModel() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 120; i++) sb.append(i % 2 == 0 ? "the cat sat on the mat.\n" : "a dog ran in the fog!\n");
        text = Files.writeString(dir.resolve("tiny.txt"), sb);
        Path out = dir.resolve("run");
        Run r = run("lm", "train", "--text", text.toString(), "--hidden-size", "16", "--layers", "1", "--epochs", "3",
                "--seq-len", "20", "--batch-size", "4", "--lr", "0.01", "--out", out.toString(), "--sample-length", "30");
        assertEquals(0, r.code(), r.err());
        model = out.resolve("model.safetensors");
    }

    @Test
    void trainWritesModelMetricsAndPlot() throws Exception {
        Path out = model.getParent();
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        for (String k : new String[] {"val_loss", "val_bpc", "train_loss", "tokens_per_second", "epochs"}) {
            assertTrue(m.get(k) instanceof Number, k + " in " + m.keySet());
        }
        assertFalse(m.containsKey("val_perplexity"));
        assertEquals(3.0, ((Number) m.get("epochs")).doubleValue(), 1e-9);
        assertTrue(((Number) m.get("val_loss")).doubleValue() < Math.log(20), "learned something: " + m.get("val_loss"));
    }

    @Test
    void neverOverwritesARunFolder() throws Exception {
        byte[] before = Files.readAllBytes(model);
        Run r = run("lm", "train", "--text", text.toString(), "--out", model.getParent().toString());
        assertUserError(r, "already exists");
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(model)));
    }

    @Test
    void badTextFilesAreOneLineErrors() throws Exception {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertUserError(run("lm", "train", "--text", empty.toString(), "--out", dir.resolve("o1").toString()), "is empty");
        assertFalse(Files.exists(dir.resolve("o1")), "no output folder for a failed start");
        Path one = Files.writeString(dir.resolve("one.txt"), "x");
        assertUserError(run("lm", "train", "--text", one.toString(), "--out", dir.resolve("o2").toString()), "too short");
        Path bin = Files.write(dir.resolve("bin.dat"), new byte[] {1, 2, 3, 0, (byte) 0xff, 9});
        assertUserError(run("lm", "train", "--text", bin.toString(), "--out", dir.resolve("o3").toString()), "binary");
        Path latin = Files.write(dir.resolve("latin1.txt"), "déjà vu".getBytes(StandardCharsets.ISO_8859_1));
        assertUserError(run("lm", "train", "--text", latin.toString(), "--out", dir.resolve("o4").toString()), "not valid UTF-8");
        assertUserError(run("lm", "train", "--text", dir.resolve("nope.txt").toString()), "not found");
        assertUserError(run("lm", "train", "--text", text.toString(), "--batch-size", "100000", "--out", dir.resolve("o5").toString()),
                "--batch-size");
        assertUserError(run("lm", "eval", "--model", model.toString(), "--text", empty.toString()), "empty");
        assertUserError(run("lm", "eval", "--model", model.toString(), "--text", bin.toString()), "binary");
        assertUserError(run("lm", "eval", "--model", text.toString(), "--text", text.toString()), "tiny.txt");
    }

    @Test
    void badFlagsAreOneLineErrors() {
        assertUserError(run("lm", "train", "--text", text.toString(), "--level", "byte"), "level");
        assertUserError(run("lm", "train", "--text", text.toString(), "--cell", "transformer"), "--cell");
        assertUserError(run("lm", "train", "--text", text.toString(), "--time-budget", "soon"), "--time-budget");
        assertUserError(run("lm", "train", "--text", text.toString(), "--seq-len", "0"), "seqLen");
        assertUserError(run("lm", "sample", "--model", model.toString(), "--temperature", "-1"), "--temperature");
        assertUserError(run("lm", "sample", "--model", model.toString(), "--top-p", "0"), "--top-p");
        assertUserError(run("lm", "sample", "--model", dir.resolve("missing.safetensors").toString()), "not found");
    }

    @Test
    void sampleStreamsFromThePrimeAndRepeatsWithTheSeed() {
        Run a = run("lm", "sample", "--model", model.toString(), "--prime", "the cat", "--length", "40", "--seed", "3");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().startsWith("the cat"), a.out());
        assertEquals("the cat".length() + 40 + 1, a.out().length(), "prime + 40 characters + final newline: " + a.out());
        assertEquals(a.out(), run("lm", "sample", "--model", model.toString(), "--prime", "the cat", "--length", "40", "--seed", "3").out());
        Run greedy = run("lm", "sample", "--model", model.toString(), "--length", "25", "--temperature", "0", "--top-k", "3");
        assertEquals(0, greedy.code(), greedy.err());
        Run unknown = run("lm", "sample", "--model", model.toString(), "--prime", "Zebra", "--length", "5");
        assertEquals(0, unknown.code());
        assertTrue(unknown.err().contains("2 chars of --prime are not in the model's vocabulary"), unknown.err());
    }

    @Test
    void evalCountsUnseenCharacters() throws Exception {
        Path other = Files.writeString(dir.resolve("other.txt"), "the cat sat. XYZ the fog!\n");
        Run r = run("lm", "eval", "--model", model.toString(), "--text", other.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertEquals(3L, m.get("unknown_tokens"));
        assertEquals(22L, m.get("tokens")); // 26 characters, the first and the 3 unseen ones not scored
        assertEquals(false, m.get("unknown_scored"));
        assertTrue(((Number) m.get("bpc")).doubleValue() > 0);
        Run plain = run("lm", "eval", "--model", model.toString(), "--text", other.toString());
        assertTrue(plain.out().contains("3 unseen in training, left out of the loss"), plain.out());
    }

    @Test
    void wordLevelReportsPerplexity() throws Exception {
        Path out = dir.resolve("words");
        Run r = run("lm", "train", "--text", text.toString(), "--level", "word", "--max-vocab", "8", "--hidden-size", "8",
                "--layers", "1", "--epochs", "1", "--seq-len", "10", "--batch-size", "4", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        assertTrue(m.get("val_perplexity") instanceof Number && !m.containsKey("val_bpc"), m.keySet().toString());
        Run e = run("lm", "eval", "--model", out.resolve("model.safetensors").toString(), "--text", text.toString(), "--json");
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) Json.parse(e.out());
        assertEquals(true, j.get("unknown_scored"), "words past --max-vocab are trained as <unk>");
        assertTrue(((Number) j.get("perplexity")).doubleValue() > 1);
        Run s = run("lm", "sample", "--model", out.resolve("model.safetensors").toString(), "--prime", "the", "--length", "12");
        assertEquals(0, s.code(), s.err());
        assertFalse(s.out().contains("<unk>"), s.out());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1.5h"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("PT10M"));
        for (String bad : new String[] {"", "10", "m", "10x", "-5m", "0s", "10m extra"}) {
            try {
                Durations.parse(bad);
                throw new AssertionError("accepted '" + bad + "'");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("--time-budget"));
            }
        }
    }
}
