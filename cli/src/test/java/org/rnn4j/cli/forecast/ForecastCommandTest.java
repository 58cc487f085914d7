package org.rnn4j.cli.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.cli.Main;
import org.rnn4j.io.Json;

/** {@code rnn4j forecast} end to end on small runs, and its bad-CSV errors. */
class ForecastCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.setOut(saved);
        }
        return new Result(code, captured.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void defaultDataTrainsEvaluatesAndWritesEverything() throws IOException {
        Path out = dir.resolve("run");
        Result r = run("forecast", "--epochs", "3", "--hidden-size", "16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"model.safetensors", "metrics.json", "forecast.png", "loss.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " missing");
        }
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        for (String key : new String[] {"model", "persistence", "seasonal_persistence", "climatology"}) {
            Map<String, Object> metric = (Map<String, Object>) m.get(key);
            assertTrue(((Number) metric.get("mae")).doubleValue() > 0, key + ".mae");
            assertTrue(((Number) metric.get("rmse")).doubleValue() >= ((Number) metric.get("mae")).doubleValue(), key + ": rmse >= mae");
        }
        assertEquals("temp_max", m.get("target"));
        assertEquals(1L, ((Number) m.get("horizon")).longValue());
        assertTrue(((Number) m.get("test_rows")).intValue() > 250);
        assertTrue(m.containsKey("skill_vs_persistence"));
        assertTrue(r.out().contains("persistence"), r.out());

        // The model forecasts from the latest rows of a file.
        Path csv = seattleCsv();
        Result p = run("forecast", "predict", "--model", out.resolve("model.safetensors").toString(), "--data", csv.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("2016-01-01"), "forecast for the day after the last row: " + p.out());

        // A second run into the same folder is refused: no previous run is overwritten silently.
        Result again = run("forecast", "--epochs", "1", "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void biasCorrectionAndLogInputsAreReportedKeptInTheModelAndAppliedByPredict() throws IOException {
        Path out = dir.resolve("bias");
        Result r = run("forecast", "--epochs", "2", "--hidden-size", "8", "--log-inputs", "auto", "--bias-correction", "30",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        Map<String, Object> bias = (Map<String, Object>) m.get("bias_correction");
        assertEquals(30L, ((Number) bias.get("days")).longValue());
        Map<String, Object> val = (Map<String, Object>) bias.get("validation_mae_by_days");
        assertTrue(val.keySet().containsAll(java.util.List.of("0", "7", "14", "30", "60", "90")), val.toString());
        double corrected = ((Number) ((Map<String, Object>) m.get("model")).get("mae")).doubleValue();
        double raw = ((Number) ((Map<String, Object>) m.get("model_uncorrected")).get("mae")).doubleValue();
        assertTrue(corrected > 0 && raw > 0 && corrected != raw, corrected + " vs " + raw);
        assertTrue(m.containsKey("skill_vs_persistence_uncorrected"));
        Map<String, Object> pre = (Map<String, Object>) m.get("preprocessing");
        assertEquals(java.util.List.of("precipitation"), pre.get("log_inputs"));
        assertEquals(30, org.rnn4j.apps.forecast.Forecaster.load(out.resolve("model.safetensors")).biasCorrectionDays());

        Path csv = seattleCsv();
        Result p = run("forecast", "predict", "--model", out.resolve("model.safetensors").toString(), "--data", csv.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("bias correction over the last 30 days") && p.out().contains("mean error of 30 forecasts"), p.out());

        // auto chooses among the candidates by the validation MAE.
        Result a = run("forecast", "--epochs", "1", "--hidden-size", "8", "--bias-correction", "auto", "--quiet",
                "--out", dir.resolve("auto").toString());
        assertEquals(0, a.code(), a.err());
        Map<String, Object> ma = (Map<String, Object>) Json.readFile(dir.resolve("auto").resolve("metrics.json"));
        Map<String, Object> ba = (Map<String, Object>) ma.get("bias_correction");
        Map<String, Object> va = (Map<String, Object>) ba.get("validation_mae_by_days");
        String best = va.entrySet().stream().min(java.util.Comparator.comparingDouble(e -> ((Number) e.getValue()).doubleValue()))
                .orElseThrow().getKey();
        assertEquals(Long.parseLong(best), ((Number) ba.get("days")).longValue());

        Result bad = run("forecast", "--bias-correction", "soon", "--out", dir.resolve("x").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--bias-correction must be"), bad.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void predictLinearKeepsTheRidgeModelInTheFileForPredict() throws IOException {
        Path out = dir.resolve("linear");
        Result r = run("forecast", "--epochs", "2", "--hidden-size", "8", "--predict", "linear", "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        assertEquals("linear", ((Map<String, Object>) m.get("config")).get("predict"));
        org.rnn4j.apps.forecast.Forecaster f = org.rnn4j.apps.forecast.Forecaster.load(out.resolve("model.safetensors"));
        assertTrue(f.linearBase() != null && !f.residual(), "the ridge model is in the file");
        Path csv = seattleCsv();
        Result p = run("forecast", "predict", "--model", out.resolve("model.safetensors").toString(), "--data", csv.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("2016-01-01"), p.out());

        Result bad = run("forecast", "--predict", "linear", "--loss-steps", "2", "--out", dir.resolve("x").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--predict linear needs --loss-steps 1"), bad.err());
        assertFalse(Files.exists(dir.resolve("x")), "a refused run leaves no folder");

        // A window too large for the normal equations is refused before anything is written, naming the flags.
        StringBuilder wide = new StringBuilder("date");
        for (int c = 0; c < 30; c++) wide.append(",c").append(c);
        wide.append('\n');
        java.time.LocalDate day = java.time.LocalDate.of(2000, 1, 1);
        for (int i = 0; i < 1200; i++) {
            wide.append(day.plusDays(i));
            for (int c = 0; c < 30; c++) wide.append(',').append((i * (c + 1)) % 17);
            wide.append('\n');
        }
        Path wideCsv = csv("wide.csv", wide.toString());
        Result big = run("forecast", "--data", wideCsv.toString(), "--target", "c0", "--lookback", "70", "--predict", "linear",
                "--out", dir.resolve("big").toString());
        assertEquals(2, big.code(), big.err());
        assertTrue(big.err().contains("--predict linear fits a ridge regression on the whole input window, up to 2000 values")
                && big.err().contains("--lookback"), big.err());
        assertFalse(Files.exists(dir.resolve("big")), "a refused run leaves no folder");
    }

    /** The embedded Seattle series as a file, as a user would pass it to {@code forecast predict}. */
    private Path seattleCsv() throws IOException {
        Path csv = dir.resolve("seattle.csv");
        try (var in = org.rnn4j.apps.forecast.ForecastDataset.class.getResourceAsStream("seattle-weather.csv")) {
            Files.copy(in, csv);
        }
        return csv;
    }

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private void assertBadCsv(Path file, String target, String fragment) {
        Result r = run("forecast", "--data", file.toString(), "--target", target, "--epochs", "1", "--out", dir.resolve("o-" + file.getFileName()).toString());
        assertEquals(2, r.code(), "exit code for " + file.getFileName() + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("Exception"), "one line, no stack trace: " + err);
        assertTrue(err.contains(fragment), "message should mention '" + fragment + "': " + err);
    }

    @Test
    void badCsvsGetOneClearLine() throws IOException {
        StringBuilder many = new StringBuilder("date,temp\n");
        for (int i = 1; i <= 9; i++) many.append("2020-01-0").append(i).append(',').append(i).append('\n');
        assertBadCsv(csv("empty.csv", ""), "temp", "empty.csv");
        assertBadCsv(csv("noheader.csv", "2020-01-01,3\n2020-01-02,4\n"), "temp", "noheader.csv");
        assertBadCsv(csv("unknown.csv", many.toString()), "pressure", "pressure");
        assertBadCsv(csv("text.csv", many.toString().replace(",5\n", ",five\n")), "temp", "temp");
        assertBadCsv(csv("short.csv", "date,temp\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n"), "temp", "short.csv");
        assertBadCsv(csv("allmissing.csv", many.toString().replaceAll(",\\d\n", ",NA\n")), "temp", "temp");
    }
}
