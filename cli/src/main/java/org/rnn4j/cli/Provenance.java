package org.rnn4j.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.io.Json;
import org.rnn4j.nn.SequenceModel;

/** Records how a model file was made, in its metadata under {@value #KEY}. */
final class Provenance {
    static final String KEY = "rnn4j.provenance";

    private Provenance() {}

    static void record(SequenceModel model, String command, Map<String, Object> settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", command);
        p.put("rnn4j_version", Version.get());
        p.put("java", Runtime.version().toString());
        p.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("settings", settings);
        model.metadata().put(KEY, Json.write(p));
    }
}
