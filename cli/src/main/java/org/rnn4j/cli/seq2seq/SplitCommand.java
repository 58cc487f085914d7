package org.rnn4j.cli.seq2seq;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.PairFile;
import org.rnn4j.apps.seq2seq.PairFile.Pair;
import org.rnn4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Hold out a random fraction of the distinct sources (with all their pairs) of a pair file.")
final class SplitCommand implements Callable<Integer> {
    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "source<TAB>target lines")
    Path pairs;
    @Option(names = "--fraction", defaultValue = "0.05", description = "share of distinct sources held out (default: ${DEFAULT-VALUE})")
    double fraction;
    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--train-out", required = true, paramLabel = "FILE", description = "the remaining pairs")
    Path trainOut;
    @Option(names = "--test-out", required = true, paramLabel = "FILE", description = "the held-out pairs")
    Path testOut;

    @Override
    public Integer call() throws Exception {
        List<List<Pair>> s = Splits.bySource(PairFile.read(pairs), fraction, seed);
        write(trainOut, s.get(0));
        write(testOut, s.get(1));
        System.out.println("wrote " + s.get(0).size() + " pairs to " + trainOut + " and " + s.get(1).size() + " to " + testOut);
        return 0;
    }

    private static void write(Path file, List<Pair> list) throws IOException {
        AtomicFiles.write(file, os -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
            for (Pair p : list) w.write(p.source() + "\t" + p.target() + "\n");
            w.flush();
        });
    }
}
