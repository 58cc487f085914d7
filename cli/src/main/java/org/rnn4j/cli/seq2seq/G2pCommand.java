package org.rnn4j.cli.seq2seq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.Seq2SeqData;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.apps.seq2seq.Translator;
import org.rnn4j.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "g2p", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pronounce English words (grapheme to phoneme, ARPAbet without stress) with the bundled",
                "CMUdict model (models/" + G2pCommand.MODEL + "), printed in CMUdict format: WORD  PH1 PH2 ..."})
public final class G2pCommand implements Callable<Integer> {
    static final String MODEL = "g2p-cmudict.safetensors";

    @Parameters(paramLabel = "WORD", arity = "1..*", description = "words to pronounce (letters and apostrophes)")
    List<String> words;
    @Option(names = "--model", paramLabel = "M",
            description = "another seq2seq model or ensemble; repeat to decode with several (default: the bundled models/" + MODEL + ")")
    List<Path> model;
    @Option(names = "--combine", defaultValue = "product", paramLabel = "HOW", converter = CombinationConverter.class,
            description = CombinationConverter.DESCRIPTION)
    Seq2SeqEnsemble.Combination combine;
    // Greedy by default: on the CMUdict dev fold every model and ensemble we trained scored 0.1-0.4 points
    // worse with beam 3 or 5 (length penalty 0 or 1) than greedy (docs/seq2seq.md).
    @Option(names = "--beam", defaultValue = "1", description = "beam size; 1 = greedy (default: ${DEFAULT-VALUE})")
    int beam;

    @Override
    public Integer call() throws Exception {
        Seq2SeqEnsemble models = Seq2SeqEnsemble.load(model != null ? model : List.of(bundledModel())).combinedBy(combine);
        Seq2SeqModel m = models.first();
        List<int[]> ids = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        int bad = 0;
        for (String w : words) {
            String word = w.toUpperCase(Locale.ROOT);
            try {
                ids.add(Seq2SeqData.sourceIds(m, word, 64));
                ok.add(word);
            } catch (IllegalArgumentException e) {
                bad++;
                System.err.println("g2p: " + w + ": " + e.getMessage());
            }
        }
        List<Translator.Result> res = new Translator(models, beam, 64, 1.0, 64, false).translate(ids);
        for (int i = 0; i < res.size(); i++) {
            List<String> ph = new ArrayList<>();
            for (int id : res.get(i).ids()) ph.add(m.targetVocabulary().token(id));
            System.out.println(ok.get(i) + "  " + String.join(" ", ph));
        }
        return bad > 0 ? 2 : 0;
    }

    /** models/MODEL under $RNN4J_HOME, else next to (or above) the jar, else under the working directory. */
    static Path bundledModel() {
        List<Path> tried = new ArrayList<>();
        String home = System.getenv("RNN4J_HOME");
        if (home != null) tried.add(Path.of(home, "models", MODEL));
        try {
            Path jar = Path.of(G2pCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path d = jar.getParent(); d != null; d = d.getParent()) tried.add(d.resolve("models").resolve(MODEL));
        } catch (Exception e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        tried.add(Path.of("models", MODEL).toAbsolutePath());
        for (Path p : tried) if (Files.isRegularFile(p)) return p;
        throw new UserException("the bundled G2P model " + MODEL + " was not found (looked in " + tried.get(0).getParent()
                + " and the folders above the rnn4j jar); pass --model or set RNN4J_HOME to the rnn4j folder");
    }
}
