package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh ModelFileFuzzer}). */
public final class ModelFileFuzzer {
    private ModelFileFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.modelFile(data);
    }
}
