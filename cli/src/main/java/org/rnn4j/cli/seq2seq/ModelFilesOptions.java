package org.rnn4j.cli.seq2seq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import picocli.CommandLine.Option;

/** {@code --model M [--model M2 ...] [--combine product|mixture]}: the models a decoding command uses. */
final class ModelFilesOptions {
    @Option(names = "--model", required = true, paramLabel = "M",
            description = "model file (.safetensors) from seq2seq train or seq2seq ensemble; repeat to decode with several models together")
    List<Path> files;
    @Option(names = "--combine", defaultValue = "product", paramLabel = "HOW", converter = CombinationConverter.class,
            description = CombinationConverter.DESCRIPTION)
    Seq2SeqEnsemble.Combination combine;

    /** Every member of every file, combined as asked. */
    Seq2SeqEnsemble load() throws IOException {
        return Seq2SeqEnsemble.load(files).combinedBy(combine);
    }

    /** "a.safetensors + b.safetensors" for reports. */
    String describe() {
        return String.join(" + ", files.stream().map(Path::toString).toList());
    }
}
