package org.rnn4j.cli.seq2seq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.cli.UserException;
import org.rnn4j.cli.Version;
import org.rnn4j.io.SafetensorsDtype;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Combine trained models into one file that translate, eval and g2p decode as an ensemble",
                "(their next-token distributions combined, see --combine), optionally stored as float16 or int8 (smaller).",
                "With one --model this just converts the file (e.g. to --float16)."})
final class EnsembleCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "a model or ensemble file; repeat for each member")
    List<Path> models;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write (must not exist)")
    Path out;
    @Option(names = "--float16", description = "store the weights as IEEE float16 instead of float32 (half the size)")
    boolean float16;
    @Option(names = "--int8", description = {"store the weight matrices as 8-bit integers with one float scale per row",
            "(a quarter of the size; check the error rates with seq2seq eval)"})
    boolean int8;
    @Option(names = "--note", paramLabel = "TEXT", description = "free text stored in the file's metadata (e.g. how the data was made)")
    String note;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (float16 && int8) throw new UserException("choose one of --float16 and --int8");
        if (Files.exists(out)) throw new UserException(out + " already exists; choose another --out (it is never overwritten)");
        Seq2SeqEnsemble e = Seq2SeqEnsemble.load(models);
        if (e.size() > 1) {
            e.metadata().put("rnn4j.ensemble.command", "rnn4j " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs()));
            e.metadata().put("rnn4j.ensemble.rnn4j_version", Version.get());
        }
        if (note != null) e.metadata().put("rnn4j.ensemble.note", note);
        SafetensorsDtype storage = float16 ? SafetensorsDtype.F16 : int8 ? SafetensorsDtype.I8 : SafetensorsDtype.F32;
        e.save(out, storage);
        System.out.println("wrote " + out + ": " + e.size() + (e.size() == 1 ? " model" : " models") + ", "
                + (float16 ? "float16" : int8 ? "int8 rows" : "float32") + ", " + Files.size(out) + " bytes");
        return 0;
    }
}
