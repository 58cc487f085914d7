package org.rnn4j.fuzz;

/** Entry point for a standalone coverage-guided run ({@code tools/fuzz/run.sh SafetensorsFuzzer}). */
public final class SafetensorsFuzzer {
    private SafetensorsFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Readers.safetensors(data);
    }
}
