package org.rnn4j.cli.seq2seq;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.Seq2SeqData;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.apps.seq2seq.Translator;
import org.rnn4j.apps.seq2seq.Utf8Lines;
import org.rnn4j.apps.seq2seq.Vocabulary;
import org.rnn4j.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode source lines (standard input or --input) and write one output per line.",
                "A line the model cannot read (unknown character, too long) is reported on standard error with its",
                "number and gives an empty output line; the exit code is then 2, after every other line is done."})
final class TranslateCommand implements Callable<Integer> {
    private static final int CHUNK = 1024;

    @Mixin
    ModelFilesOptions model;
    @Option(names = "--beam", defaultValue = "5", description = "beam size; 1 = greedy (default: ${DEFAULT-VALUE})")
    int beam;
    @Option(names = "--max-length", defaultValue = "100", description = "longest output, and longest accepted source, in tokens (default: ${DEFAULT-VALUE})")
    int maxLength;
    @Option(names = "--input", paramLabel = "FILE", description = "source lines (default: standard input)")
    Path input;
    @Option(names = "--attention-png", paramLabel = "DIR", description = "write each line's attention heat map as DIR/line-NNNNN.png")
    Path attentionDir;
    @Option(names = "--batch-size", defaultValue = "64", description = "lines decoded together (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--length-penalty", defaultValue = "1.0", description = "beam scores are logp / length^this (default: ${DEFAULT-VALUE})")
    double lengthPenalty;

    @Override
    public Integer call() throws Exception {
        Seq2SeqEnsemble models = model.load();
        Seq2SeqModel m = models.first();
        Translator t = new Translator(models, beam, maxLength, lengthPenalty, batchSize, attentionDir != null);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String name = input == null ? "standard input" : input.toString();
        int bad = translate(m, t, input == null ? System.in : Files.newInputStream(input), name, out, attentionDir, maxLength);
        out.flush();
        if (bad > 0) {
            System.err.println("translate: " + bad + " line(s) of " + name + " could not be translated (see above)");
            return 2;
        }
        return 0;
    }

    /** Translates every line, chunk by chunk; returns how many lines failed. */
    static int translate(Seq2SeqModel m, Translator t, InputStream in, String name, PrintStream out, Path attentionDir, int maxLength)
            throws Exception {
        int bad = 0, lineNo = 0;
        try (Utf8Lines r = new Utf8Lines(in)) {
            List<String> chunk = new ArrayList<>();
            while (true) {
                String line;
                try {
                    line = r.next();
                } catch (Utf8Lines.InvalidUtf8 e) {
                    bad += translateChunk(m, t, chunk, lineNo, name, out, attentionDir, maxLength);
                    throw new UserException(name + ": " + e.getMessage() + "; stopped there (the lines before it are translated)");
                }
                if (line != null) chunk.add(line);
                if (chunk.size() == CHUNK || (line == null && !chunk.isEmpty())) {
                    bad += translateChunk(m, t, chunk, lineNo, name, out, attentionDir, maxLength);
                    lineNo += chunk.size();
                    chunk.clear();
                }
                if (line == null) break;
            }
        }
        return bad;
    }

    private static int translateChunk(Seq2SeqModel m, Translator t, List<String> lines, int firstLine, String name, PrintStream out,
                                      Path attentionDir, int maxLength) throws Exception {
        List<int[]> ids = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < lines.size(); i++) {
            try {
                ids.add(Seq2SeqData.sourceIds(m, lines.get(i), maxLength));
                index.add(i);
            } catch (IllegalArgumentException e) {
                bad++;
                System.err.println(name + ": line " + (firstLine + i + 1) + ": " + e.getMessage());
            }
        }
        List<Translator.Result> results = t.translate(ids);
        String[] outputs = new String[lines.size()];
        java.util.Arrays.fill(outputs, "");
        for (int k = 0; k < results.size(); k++) {
            Translator.Result res = results.get(k);
            List<String> toks = new ArrayList<>();
            for (int id : res.ids()) toks.add(m.targetVocabulary().token(id));
            int i = index.get(k);
            outputs[i] = m.targetTokens().join(toks);
            if (attentionDir != null && res.attention() != null) {
                List<String> src = m.sourceTokens().split(lines.get(i));
                List<String> rows = new ArrayList<>(toks);
                if (res.attention().length > toks.size()) rows.add(Vocabulary.EOS);
                AttentionPng.write(attentionDir.resolve(String.format("line-%05d.png", firstLine + i + 1)), src, rows, res.attention());
            }
        }
        for (String s : outputs) out.println(s);
        out.flush();
        return bad;
    }
}
