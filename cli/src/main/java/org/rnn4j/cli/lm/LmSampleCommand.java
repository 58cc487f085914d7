package org.rnn4j.cli.lm;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.apps.lm.LanguageModel;
import org.rnn4j.apps.lm.LanguageModelSession;
import org.rnn4j.apps.lm.Sampler;
import org.rnn4j.apps.lm.SamplingConfig;
import org.rnn4j.apps.lm.Vocabulary;
import org.rnn4j.cli.UserException;
import org.rnn4j.tensor.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text with a language model, printed token by token as it is generated.",
                "The prime text is fed first; without one, generation starts after a line break."})
public final class LmSampleCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "model file written by `rnn4j lm train`")
    Path model;
    @Option(names = "--prime", defaultValue = "", paramLabel = "TEXT", description = "text to start from (printed, then continued)")
    String prime;
    @Option(names = "--length", defaultValue = "500", paramLabel = "N", description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int length;
    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "F",
            description = "below 1 safer, above 1 wilder; 0 = always the most likely (default: ${DEFAULT-VALUE})")
    double temperature;
    @Option(names = "--top-k", defaultValue = "0", paramLabel = "N", description = "draw among the N most likely only; 0 = off")
    int topK;
    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "F", description = "nucleus: draw among the most likely tokens covering F; 1 = off")
    double topP;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "random seed; the same seed gives the same text (default: ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (length < 0) throw new UserException("--length must be >= 0, got " + length);
        SamplingConfig sc;
        try {
            sc = new SamplingConfig(temperature, topK, topP);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage().replace("temperature", "--temperature").replace("topK", "--top-k").replace("topP", "--top-p"));
        }
        LanguageModel lm = LanguageModel.load(model);
        Vocabulary v = lm.vocabulary();
        int[] primeIds = v.encode(prime);
        long unknown = java.util.Arrays.stream(primeIds).filter(id -> id == Vocabulary.UNK_ID).count();
        if (unknown > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("note: %d %s%s of --prime %s not in the model's vocabulary and %s read as <unk>%n", unknown, v.level().unit(),
                    unknown == 1 ? "" : "s", unknown == 1 ? "is" : "are", unknown == 1 ? "is" : "are");
            err.flush();
        }
        PrintWriter o = spec.commandLine().getOut();
        LanguageModelSession s = lm.newSession();
        Sampler sampler = new Sampler(sc, v.size());
        Rng rng = new Rng(seed);
        if (primeIds.length == 0) {
            s.feed(lm.startToken());
        } else {
            o.print(prime);
            o.flush();
            for (int id : primeIds) s.feed(id);
        }
        for (int i = 0; i < length; i++) {
            o.print(s.generateText(sampler, rng));
            o.flush(); // streaming: each token shows as soon as it exists
        }
        o.println();
        o.flush();
        return 0;
    }
}
