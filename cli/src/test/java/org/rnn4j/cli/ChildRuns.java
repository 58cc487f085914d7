package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.SequenceModel;

/** Runs {@code rnn4j} in-process or as a child JVM (same classpath), and helpers to compare model weights. */
final class ChildRuns {
    private ChildRuns() {}

    record Result(int code, String out, String err) {}

    /** In-process, through {@link Main#run}, capturing what picocli and the command print to err. */
    static Result inProcess(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Starts {@code java --add-modules jdk.incubator.vector -cp <this classpath> org.rnn4j.cli.Main args}. */
    static Process start(Path workDir, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:TieredStopAtLevel=1"); // short runs: the C1 compiler alone starts faster
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.rnn4j.cli.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static int waitFor(Process p, long seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child rnn4j did not finish within " + seconds + " s");
        }
        return p.exitValue();
    }

    /** Sends a signal by number with kill(1); ProcessHandle can only send TERM and KILL. */
    static void signal(Process p, String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -" + name + " failed");
    }

    /** True if this JVM inherited SIGINT as ignored (then children do too, and cannot handle it). */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** Raw parameter values of a model file, for bit-for-bit comparison. */
    static float[] weights(Path model) throws IOException {
        SequenceModel m = ModelFile.load(model);
        return m.parameters().values().clone();
    }

    static List<Path> checkpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.safetensors")).sorted().toList();
        }
    }
}
