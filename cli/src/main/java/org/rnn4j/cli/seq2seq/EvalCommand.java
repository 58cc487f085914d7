package org.rnn4j.cli.seq2seq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.Evaluation;
import org.rnn4j.apps.seq2seq.PairFile;
import org.rnn4j.apps.seq2seq.PairFile.Pair;
import org.rnn4j.apps.seq2seq.Seq2SeqData;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.apps.seq2seq.Tokenization;
import org.rnn4j.apps.seq2seq.Translator;
import org.rnn4j.cli.UserException;
import org.rnn4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode the sources of a pair file and score the outputs against their references.",
                "token_error_rate: edit distance / reference length (closest reference); sequence_error_rate: share of",
                "sources matching no reference; bleu: corpus BLEU-4 (0-100, word targets); sources: distinct sources."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelFilesOptions model;
    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "source<TAB>target lines; repeated sources are alternative references")
    Path pairs;
    @Option(names = "--beam", defaultValue = "5", description = "beam size; 1 = greedy (default: ${DEFAULT-VALUE})")
    int beam;
    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
            description = "also write the figures as JSON to FILE; --json alone or '-': standard output")
    String json;
    @Option(names = "--max-length", defaultValue = "100", description = "longest output in tokens (default: ${DEFAULT-VALUE})")
    int maxLength;
    @Option(names = "--batch-size", defaultValue = "64", description = "sources decoded together (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--length-penalty", defaultValue = "1.0", description = "beam scores are logp / length^this (default: ${DEFAULT-VALUE})")
    double lengthPenalty;
    @Option(names = "--samples", defaultValue = "0", description = "print this many source / output / reference examples")
    int samples;
    @Option(names = "--record", description = "also store the figures (with the pairs file's SHA-256) in the model file's metadata")
    boolean record;
    @Option(names = "--note", paramLabel = "TEXT", description = "with --record: a free-text note stored with the figures")
    String note;

    /** Outputs and figures of one evaluation; {@code failed} counts sources that could not be decoded. */
    record Outcome(Evaluation.Result result, List<String> sources, List<String> outputs, List<List<String>> references, int failed) {}

    @Override
    public Integer call() throws Exception {
        if (record && model.files.size() > 1) {
            throw new UserException("--record stores the figures in the model file: give one --model file (combine models first with seq2seq ensemble)");
        }
        Seq2SeqEnsemble m = model.load();
        List<Pair> list = PairFile.read(pairs);
        Outcome o = evaluate(m, list, beam, maxLength, batchSize, lengthPenalty, pairs);
        Map<String, Object> j = json(o.result(), beam);
        j.put("model", model.describe());
        j.put("pairs", pairs.toString());
        if (m.size() > 1) j.put("combine", m.combination().cliName());
        if (o.failed() > 0) j.put("undecodable_sources", o.failed());
        for (int i = 0; i < Math.min(samples, o.sources().size()); i++) {
            System.out.println("source:    " + o.sources().get(i));
            System.out.println("output:    " + o.outputs().get(i));
            System.out.println("reference: " + String.join(" | ", o.references().get(i)));
            System.out.println();
        }
        System.out.println(summary(j));
        if (json != null) {
            if (json.equals("-")) System.out.println(Json.writePretty(j));
            else Json.writeFile(Path.of(json), j);
        }
        if (record) {
            Map<String, Object> r = new LinkedHashMap<>(j);
            r.put("pairs_sha256", Splits.sha256(pairs));
            r.put("max_length", maxLength);
            r.put("length_penalty", lengthPenalty);
            if (note != null) r.put("note", note);
            String key = "rnn4j.eval." + pairs.getFileName() + ".beam" + beam;
            m.metadata().put(key, Json.write(r));
            m.save(model.files.getFirst(), m.storage());
            System.out.println("recorded in " + model.files.getFirst() + " under " + key);
        }
        return 0;
    }

    /**
     * Decodes every distinct source of {@code list} and scores it. A source the model cannot read
     * (an unknown character) is reported on standard error with its line, and counts as wrong.
     */
    static Outcome evaluate(Seq2SeqEnsemble models, List<Pair> list, int beam, int maxLength, int batchSize, double lengthPenalty, Path file) {
        Seq2SeqModel m = models.first();
        Map<String, List<String>> refs = Seq2SeqData.references(list);
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (Pair p : list) firstLine.putIfAbsent(p.source(), p.line());
        List<String> sources = new ArrayList<>(refs.keySet());
        List<int[]> ids = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < sources.size(); i++) {
            try {
                ids.add(Seq2SeqData.sourceIds(m, sources.get(i), Integer.MAX_VALUE));
                index.add(i);
            } catch (IllegalArgumentException e) {
                failed++;
                System.err.println((file == null ? "" : file + ": ") + "line " + firstLine.get(sources.get(i)) + ": " + e.getMessage());
            }
        }
        Translator t = new Translator(models, beam, maxLength, lengthPenalty, batchSize, false);
        List<Translator.Result> results = t.translate(ids);
        Tokenization tt = m.targetTokens();
        List<List<String>> outTokens = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            outTokens.add(List.of());
            outputs.add("");
        }
        for (int k = 0; k < results.size(); k++) {
            List<String> toks = new ArrayList<>();
            for (int id : results.get(k).ids()) toks.add(m.targetVocabulary().token(id));
            outTokens.set(index.get(k), toks);
            outputs.set(index.get(k), tt.join(toks));
        }
        List<List<List<String>>> refTokens = new ArrayList<>();
        List<List<String>> refStrings = new ArrayList<>();
        for (String s : sources) {
            List<List<String>> r = new ArrayList<>();
            for (String x : refs.get(s)) r.add(tt.split(x));
            refTokens.add(r);
            refStrings.add(refs.get(s));
        }
        Evaluation.Result r = Evaluation.evaluate(outTokens, refTokens, tt == Tokenization.WORDS);
        return new Outcome(r, sources, outputs, refStrings, failed);
    }

    static Map<String, Object> json(Evaluation.Result r, int beam) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("token_error_rate", r.tokenErrorRate());
        j.put("sequence_error_rate", r.sequenceErrorRate());
        if (r.bleu() != null) j.put("bleu", r.bleu());
        j.put("sources", r.sources());
        j.put("beam", beam);
        return j;
    }

    static String summary(Map<String, Object> j) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("token_error_rate %.4f  sequence_error_rate %.4f", (Double) j.get("token_error_rate"), (Double) j.get("sequence_error_rate")));
        if (j.get("bleu") != null) sb.append(String.format("  bleu %.2f", (Double) j.get("bleu")));
        sb.append("  sources ").append(j.get("sources"));
        return sb.toString();
    }
}
