package org.rnn4j.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Regression run of the fuzz corpus: every file under {@code src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs/
 * <reader>/} (the seeds, and every crash reproducer the long Jazzer runs found) goes through its reader's fuzz
 * target once. New inputs are found by {@code tools/fuzz/run.sh}, which runs Jazzer coverage-guided over the
 * same corpus; {@link ReaderMutationTest} is the short fuzz run of every build.
 */
class ReaderFuzzTest {
    static final Path CORPUS = Path.of("src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs");
    static final Map<String, Consumer<byte[]>> TARGETS = Map.of("npy", Readers::npy, "safetensors", Readers::safetensors,
            "modelFile", Readers::modelFile, "checkpoint", Readers::checkpoint, "json", Readers::json, "csv", Readers::csv);

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Consumer<byte[]>> t : TARGETS.entrySet()) {
            List<Path> files = files(t.getKey());
            if (files.isEmpty()) throw new AssertionError("no corpus for " + t.getKey() + " in " + CORPUS.toAbsolutePath());
            for (Path f : files) {
                tests.add(DynamicTest.dynamicTest(t.getKey() + "/" + f.getFileName(), () -> t.getValue().accept(Files.readAllBytes(f))));
            }
        }
        return tests.stream();
    }

    static List<Path> files(String target) throws IOException {
        Path d = CORPUS.resolve(target);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
