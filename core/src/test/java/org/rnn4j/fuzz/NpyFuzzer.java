package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh NpyFuzzer}). */
public final class NpyFuzzer {
    private NpyFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.npy(data);
    }
}
