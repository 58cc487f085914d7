package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/** Output folders of training runs: {@code rnn4j-out/<app>-<timestamp>/} by default, never reused silently. */
public final class RunFolder {
    private RunFolder() {}

    /** {@code chosen} if given (must be absent or empty), else a new timestamped folder under rnn4j-out/. */
    public static Path create(Path chosen, String app) throws IOException {
        Path dir = chosen;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = Path.of("rnn4j-out", app + "-" + stamp);
            for (int i = 2; Files.exists(dir); i++) dir = Path.of("rnn4j-out", app + "-" + stamp + "-" + i);
        } else if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new UserException(dir + " exists and is not a folder; choose another --out");
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new UserException(dir + " already holds a run; choose another --out (or remove it) — rnn4j never overwrites a previous run");
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
