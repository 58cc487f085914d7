package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Tensor;

/** Bad input gets one line naming the file and what was expected, exit code 2, no stack trace. */
class CliBadInputTest {
    @TempDir
    Path dir;
    Path model;
    Path x;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void makeModel() throws IOException {
        model = dir.resolve("m.safetensors");
        Result r = run("init", "--cell", "gru", "--input-size", "3", "--hidden-size", "4", "--layers", "2",
                "--output-size", "2", "--seed", "1", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        x = dir.resolve("x.npy");
        Npy.write(x, Tensor.zeros(2, 5, 3));
    }

    private void assertUserError(Result r, String... fragments) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "expected one line, got: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "stack trace or exception name leaked: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "message should contain '" + f + "': " + err);
    }

    @Test
    void missingModelFile() {
        assertUserError(run("predict", "--model", dir.resolve("nope.safetensors").toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString()), "nope.safetensors", "not found");
    }

    @Test
    void modelThatIsNotSafetensors() {
        assertUserError(run("inspect", x.toString()), "x.npy");
    }

    @Test
    void wrongDtype() throws IOException {
        Path bad = dir.resolve("x64.npy");
        Npy.writeDoubles(bad, new double[30], 2, 5, 3);
        assertUserError(run("predict", "--model", model.toString(), "--input", bad.toString(), "--output",
                dir.resolve("y.npy").toString()), "x64.npy", "float32", "float64");
    }

    @Test
    void wrongRank() throws IOException {
        Path bad = dir.resolve("x2.npy");
        Npy.write(bad, Tensor.zeros(10, 3));
        assertUserError(run("predict", "--model", model.toString(), "--input", bad.toString(), "--output",
                dir.resolve("y.npy").toString()), "x2.npy", "3 dimensions", "(10, 3)");
    }

    @Test
    void shapeThatDoesNotFitTheModel() throws IOException {
        Path bad = dir.resolve("x7.npy");
        Npy.write(bad, Tensor.zeros(2, 5, 7));
        assertUserError(run("predict", "--model", model.toString(), "--input", bad.toString(), "--output",
                dir.resolve("y.npy").toString()), "x7.npy", "7 features", "expects 3");
    }

    @Test
    void targetShapeMismatchInFitLeavesNoOutput() throws IOException {
        Path y = dir.resolve("y.npy");
        Npy.write(y, Tensor.zeros(2, 5, 3));
        Path out = dir.resolve("out.safetensors");
        assertUserError(run("fit", "--model", model.toString(), "--input", x.toString(), "--target", y.toString(),
                "--out", out.toString()), "y.npy", "(2, 5, 2)");
        assertFalse(Files.exists(out), "no partial output may be left");
    }

    @Test
    void unknownCellAndOptimizer() {
        assertUserError(run("init", "--cell", "transformer", "--input-size", "3", "--hidden-size", "4", "--out",
                dir.resolve("t.safetensors").toString()), "transformer", "lstm");
        Path y = dir.resolve("y.npy");
        assertUserError(run("fit", "--model", model.toString(), "--input", x.toString(), "--target", y.toString(),
                "--out", dir.resolve("o.safetensors").toString(), "--optimizer", "lbfgs"), "lbfgs", "adam");
    }

    @Test
    void existingFileIsNotDamagedByAFailedWrite() throws IOException {
        byte[] before = Files.readAllBytes(model);
        Path bad = dir.resolve("x7.npy");
        Npy.write(bad, Tensor.zeros(2, 5, 7));
        run("fit", "--model", model.toString(), "--input", bad.toString(), "--target", bad.toString(), "--out", model.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the model file changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"init", "predict", "fit", "inspect"})
    void everyCommandHasHelp(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: rnn4j " + command), r.out());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Result r = run("predict", "--model", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--input"), r.err());
    }

    @Test
    void initThenInspectShowsTheModel() {
        Result r = run("inspect", model.toString());
        assertEquals(0, r.code(), r.err());
    }
}
