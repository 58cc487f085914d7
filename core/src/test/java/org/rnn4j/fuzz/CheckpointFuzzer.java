package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh CheckpointFuzzer}). */
public final class CheckpointFuzzer {
    private CheckpointFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.checkpoint(data);
    }
}
