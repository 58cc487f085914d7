package org.rnn4j.apps.forecast;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real datasets (../shared/data beside the repository) for tests; tests that need them are
 * skipped, saying why, when they are absent.
 */
final class SharedData {
    private SharedData() {}

    /** The shared data folder, or null: system property rnn4j.shared, else walk up to the repository root. */
    static Path folder() {
        String prop = System.getProperty("rnn4j.shared");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop).toAbsolutePath().normalize();
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(candidate)) return candidate;
            dir = dir.getParent();
        }
        Path fixed = Path.of("/work/shared/data");
        return Files.isDirectory(fixed) ? fixed : null;
    }

    /** A file under the shared data folder; skips the calling test when it is not there. */
    static Path require(String relative) {
        Path folder = folder();
        assumeTrue(folder != null, "skipped: the shared data folder (../shared/data or -Drnn4j.shared) is absent");
        Path file = folder.resolve(relative);
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent");
        return file;
    }
}
