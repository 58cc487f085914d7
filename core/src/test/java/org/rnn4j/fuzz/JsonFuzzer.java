package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh JsonFuzzer}). */
public final class JsonFuzzer {
    private JsonFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.json(data);
    }
}
