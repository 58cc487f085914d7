package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh CsvFuzzer}). */
public final class CsvFuzzer {
    private CsvFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.csv(data);
    }
}
