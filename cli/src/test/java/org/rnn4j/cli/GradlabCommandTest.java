package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;

class GradlabCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, err.toString());
    }

    private static final String[] TINY = {"--length", "6", "--steps", "4", "--hidden", "4", "--batch", "4", "--test-size", "8",
            "--eval-every", "2", "--quiet"};

    private static String[] args(Path out, String... extra) {
        String[] a = new String[TINY.length + extra.length + 3];
        a[0] = "gradlab";
        a[1] = "--out";
        a[2] = out.toString();
        System.arraycopy(TINY, 0, a, 3, TINY.length);
        System.arraycopy(extra, 0, a, 3 + TINY.length, extra.length);
        return a;
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesTheReportAndThePicturesAndNeverOverwritesARun() throws Exception {
        Path out = tmp.resolve("run");
        Result r = run(args(out, "--task", "copy", "--cells", "rnn-tanh,lstm,gru", "--clip-norm", "1", "--seed", "3"));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("report.json", "gradient-flow.png", "training.png")) assertTrue(Files.size(out.resolve(f)) > 0, f);
        Map<String, Object> report = (Map<String, Object>) Json.readFile(out.resolve("report.json"));
        assertEquals("copy", report.get("task"));
        assertEquals(6L, report.get("length"));
        assertEquals(10 * Math.log(8) / 26, (Double) report.get("baseline"), 1e-12);
        Map<String, Object> cells = (Map<String, Object>) report.get("cells");
        assertEquals(List.of("rnn-tanh", "lstm", "gru"), List.copyOf(cells.keySet()));
        Map<String, Object> gru = (Map<String, Object>) cells.get("gru");
        assertEquals(4L, gru.get("steps"));
        assertEquals(26, ((List<Object>) gru.get("grad_norm_final")).size(), "copy sequences have T + 20 steps");
        assertEquals(1.0, gru.get("clip_norm"));

        byte[] before = Files.readAllBytes(out.resolve("report.json"));
        Result again = run(args(out));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
        assertEquals(List.of(), diff(before, Files.readAllBytes(out.resolve("report.json"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void explodeRunsTheCellWithoutAndWithClipping() throws Exception {
        Path out = tmp.resolve("explode");
        Result r = run(args(out, "--explode", "--radius", "3", "--lr", "1e30"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("grad-norm.png")) > 0);
        Map<String, Object> report = (Map<String, Object>) Json.readFile(out.resolve("report.json"));
        assertEquals("explode", report.get("mode"));
        Map<String, Object> cells = (Map<String, Object>) report.get("cells");
        assertEquals(List.of("rnn-tanh", "rnn-tanh+clip-norm", "rnn-tanh+clip-value"), List.copyOf(cells.keySet()));
        Map<String, Object> plain = (Map<String, Object>) cells.get("rnn-tanh");
        assertTrue(plain.get("diverged_at_step") instanceof Long, "lr 1e30 without clipping diverges: " + plain);
        assertEquals(null, plain.get("test_loss"));
    }

    @Test
    void userErrorsAreOneLine() {
        Result bad = run("gradlab", "--task", "sort", "--out", tmp.resolve("x").toString());
        assertEquals(2, bad.code());
        assertEquals("rnn4j gradlab: --task/--length: task must be adding or copy, got 'sort'", bad.err().trim());
        Result cell = run("gradlab", "--cells", "lstm,transformer", "--out", tmp.resolve("y").toString());
        assertEquals(2, cell.code());
        assertTrue(cell.err().startsWith("rnn4j gradlab: --cells: "), cell.err());
        Result budget = run("gradlab", "--time-budget", "soon", "--out", tmp.resolve("z").toString());
        assertEquals(2, budget.code());
        assertTrue(budget.err().contains("90s, 10m, 1h30m or PT5M"), budget.err());
        assertTrue(Files.notExists(tmp.resolve("x")) && Files.notExists(tmp.resolve("y")) && Files.notExists(tmp.resolve("z")),
                "no run folder is left behind by a bad command line");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), GradlabCommand.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(10), GradlabCommand.parseDuration("10m"));
        assertEquals(Duration.ofMinutes(90), GradlabCommand.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(150), GradlabCommand.parseDuration("2m30s"));
        assertEquals(Duration.ofMinutes(5), GradlabCommand.parseDuration("PT5M"));
        assertEquals(Duration.ofMillis(1500), GradlabCommand.parseDuration("1.5s"));
        for (String bad : new String[] {"", "10", "0s", "-5m", "5 minutes", "P"}) {
            assertThrows(UserException.class, () -> GradlabCommand.parseDuration(bad), bad);
        }
    }

    private static List<Integer> diff(byte[] a, byte[] b) {
        return java.util.Arrays.equals(a, b) ? List.of() : List.of(-1);
    }
}
