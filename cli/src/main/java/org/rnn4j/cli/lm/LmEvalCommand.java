package org.rnn4j.cli.lm;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.apps.lm.EvalResult;
import org.rnn4j.apps.lm.LanguageModel;
import org.rnn4j.apps.lm.Level;
import org.rnn4j.apps.lm.LmEvaluator;
import org.rnn4j.cli.UserException;
import org.rnn4j.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a language model on a text: loss in nats per token, bits per character or perplexity.",
                "Characters or words the model never saw are counted and reported; they are scored as <unk> only if",
                "the model learned <unk> (words past --max-vocab), otherwise left out of the loss. Any file size streams through."})
public final class LmEvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "model file written by `rnn4j lm train`")
    Path model;
    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to score")
    Path text;
    @Option(names = "--json", description = "print one JSON object instead of a sentence")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        LanguageModel lm = LanguageModel.load(model);
        if (Files.isDirectory(text)) throw new UserException(text + " is a folder; give a text file");
        EvalResult r = new LmEvaluator(lm).evaluateFile(text);
        String unit = lm.level().unit();
        if (r.tokens() == 0) {
            throw new UserException(text + (Files.size(text) == 0 ? " is empty" : r.unknownTokens() > 0
                    ? " has no " + unit + " the model knows after its first" : " has fewer than 2 " + unit + " tokens")
                    + ": nothing to score (each token is predicted from the ones before it)");
        }
        PrintWriter o = spec.commandLine().getOut();
        boolean chr = lm.level() == Level.CHAR;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", r.loss());
            if (chr) m.put("bpc", r.bitsPerToken());
            else m.put("perplexity", r.perplexity());
            m.put("level", lm.level().cliName());
            m.put("tokens", r.tokens());
            m.put("unknown_tokens", r.unknownTokens());
            m.put("unknown_scored", lm.vocabulary().unkTrained());
            m.put("text", text.toString());
            m.put("model", model.toString());
            o.println(Json.writePretty(m));
        } else {
            o.printf("%s: loss %.4f nats/%s, %s over %,d %ss (%,d unseen in training, %s)%n", text, r.loss(), unit,
                    chr ? String.format("%.4f bits/char", r.bitsPerToken()) : String.format("perplexity %.2f", r.perplexity()),
                    r.tokens(), unit, r.unknownTokens(), lm.vocabulary().unkTrained() ? "scored as <unk>" : "left out of the loss");
        }
        o.flush();
        return 0;
    }
}
