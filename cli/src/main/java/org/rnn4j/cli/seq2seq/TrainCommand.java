package org.rnn4j.cli.seq2seq;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rnn4j.apps.seq2seq.Evaluation;
import org.rnn4j.apps.seq2seq.Example;
import org.rnn4j.apps.seq2seq.PairFile;
import org.rnn4j.apps.seq2seq.PairFile.Pair;
import org.rnn4j.apps.seq2seq.Seq2SeqConfig;
import org.rnn4j.apps.seq2seq.Seq2SeqData;
import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble;
import org.rnn4j.apps.seq2seq.Seq2SeqModel;
import org.rnn4j.apps.seq2seq.Seq2SeqTrainer;
import org.rnn4j.apps.seq2seq.Tokenization;
import org.rnn4j.apps.seq2seq.Vocabulary;
import org.rnn4j.cli.CheckpointFlags;
import org.rnn4j.cli.Plots;
import org.rnn4j.cli.Progress;
import org.rnn4j.cli.ResumableTraining;
import org.rnn4j.cli.UserException;
import org.rnn4j.cli.Version;
import org.rnn4j.io.Json;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an attentional encoder-decoder on TSV pairs (source<TAB>target).",
                "Writes OUT/model.safetensors (best validation loss), OUT/metrics.json and OUT/loss.png.",
                "Checkpoints go to OUT/checkpoints/ (every 10 minutes, and on Ctrl-C); an interrupted run continues with the",
                "same command plus --resume OUT/checkpoints, bit for bit unless --time-budget ends it. A non-finite loss or",
                "gradient skips that step and halves the learning rate; 5 in a row stop the run."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "training pairs, source<TAB>target per line, UTF-8")
    Path pairs;
    @Option(names = "--val-pairs", paramLabel = "FILE", description = "validation pairs for early stopping; default: a random 5% of the training sources (by --seed)")
    Path valPairs;
    @Option(names = "--source-tokens", defaultValue = "chars", description = "chars or words (default: ${DEFAULT-VALUE})")
    String sourceTokens;
    @Option(names = "--target-tokens", defaultValue = "words", description = "chars or words (default: ${DEFAULT-VALUE})")
    String targetTokens;
    @Option(names = "--cell", defaultValue = "lstm", description = "lstm or gru (default: ${DEFAULT-VALUE})")
    String cell;
    @Option(names = "--hidden-size", defaultValue = "256", description = "decoder state and encoder output size; H/2 per encoder direction (default: ${DEFAULT-VALUE})")
    int hiddenSize;
    @Option(names = "--layers", defaultValue = "1", description = "encoder and decoder layers (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--dropout", defaultValue = "0.2", description = "between layers and on the attentional vector (default: ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--batch-size", defaultValue = "64", description = "pairs per batch (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--epochs", defaultValue = "20", description = "at most this many passes (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--time-budget", paramLabel = "DURATION", converter = Durations.class,
            description = "stop after this long (e.g. 90s, 70m, 1h30m), keeping the best model")
    Duration timeBudget;
    @Option(names = "--seed", defaultValue = "1", description = "seed for initialisation, shuffling, dropout (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "seq2seq-model", paramLabel = "DIR", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--embedding-size", defaultValue = "0", description = "token embedding size; 0 = hidden size / 2 (default)")
    int embeddingSize;
    @Option(names = "--attention", defaultValue = "general", description = "general, dot or additive (default: ${DEFAULT-VALUE})")
    String attention;
    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate; halved when validation stalls (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--lr-patience", defaultValue = "1",
            description = "halve the learning rate after every this many validations without improvement (default: ${DEFAULT-VALUE})")
    int lrPatience;
    @Option(names = "--clip-norm", defaultValue = "5", description = "gradient norm clipping (default: ${DEFAULT-VALUE})")
    double clipNorm;
    @Option(names = "--patience", defaultValue = "4", description = "stop after this many validations without improvement (default: ${DEFAULT-VALUE})")
    int patience;
    @Option(names = "--evals-per-epoch", defaultValue = "1", description = "validations per epoch (default: ${DEFAULT-VALUE})")
    int evalsPerEpoch;
    @Option(names = "--max-length", defaultValue = "100", description = "longest side in tokens; longer pairs are an error naming the line (default: ${DEFAULT-VALUE})")
    int maxLength;
    @Option(names = "--min-count", defaultValue = "1", description = "tokens seen fewer times become <unk> (default: ${DEFAULT-VALUE})")
    int minCount;
    @Option(names = "--decode-validation", defaultValue = "1000", description = "greedy-decode this many validation sources at each validation for error rates; 0 = off (default: ${DEFAULT-VALUE})")
    int decodeValidation;
    @Option(names = "--init-model", paramLabel = "M", description = {"continue training this model (its architecture and vocabularies;",
            "the size flags are then ignored); Adam starts afresh"})
    Path initModel;
    @Option(names = "--quiet", description = "no progress bar or per-validation lines")
    boolean quiet;
    @Mixin
    CheckpointFlags checkpoints;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        Seq2SeqModel init = initModel == null ? null : Seq2SeqModel.load(initModel);
        Tokenization st = init != null ? init.sourceTokens() : Tokenization.parse(sourceTokens);
        Tokenization tt = init != null ? init.targetTokens() : Tokenization.parse(targetTokens);
        CellKind cellKind = CellKind.parse(cell);
        Attention.Score score = Attention.Score.parse(attention);
        int emb = embeddingSize > 0 ? embeddingSize : Math.max(8, hiddenSize / 2);
        Seq2SeqConfig config = init != null ? init.config() : new Seq2SeqConfig(cellKind, emb, hiddenSize, layers, score, dropout);
        if (lrPatience < 1) throw new UserException("--lr-patience must be >= 1, got " + lrPatience);
        Seq2SeqTrainer.Options options = new Seq2SeqTrainer.Options(batchSize, epochs, timeBudget, seed, lr, clipNorm, patience,
                evalsPerEpoch, decodeValidation, lrPatience);
        if (maxLength < 1) throw new UserException("--max-length must be >= 1, got " + maxLength);
        List<Pair> trainPairs = PairFile.read(pairs);
        List<Pair> val;
        if (valPairs != null) {
            val = PairFile.read(valPairs);
        } else {
            List<List<Pair>> split = Splits.bySource(trainPairs, 0.05, seed);
            trainPairs = split.get(0);
            val = split.get(1);
        }
        List<List<String>> srcTok = Seq2SeqData.tokenize(pairs, trainPairs, true, st, maxLength);
        List<List<String>> tgtTok = Seq2SeqData.tokenize(pairs, trainPairs, false, tt, maxLength);
        Path valFile = valPairs != null ? valPairs : pairs;
        List<List<String>> valSrc = Seq2SeqData.tokenize(valFile, val, true, st, maxLength);
        List<List<String>> valTgt = Seq2SeqData.tokenize(valFile, val, false, tt, maxLength);
        Vocabulary sv = init != null ? init.sourceVocabulary() : Vocabulary.build(srcTok, minCount);
        Vocabulary tv = init != null ? init.targetVocabulary() : Vocabulary.build(tgtTok, minCount);
        List<Example> train = Seq2SeqData.encode(trainPairs, srcTok, tgtTok, sv, tv);
        List<Example> valEx = Seq2SeqData.encode(val, valSrc, valTgt, sv, tv);
        Seq2SeqModel model = Seq2SeqModel.create(config, sv, tv, st, tt, seed);
        if (init != null) {
            System.arraycopy(init.parameters().values(), 0, model.parameters().values(), 0, model.parameters().size());
            data.put("init_model", initModel.toString());
        }
        Files.createDirectories(out);
        Path modelFile = out.resolve("model.safetensors");

        String commandLine = "rnn4j " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        data.put("pairs", fileInfo(pairs, trainPairs.size()));
        if (valPairs != null) data.put("val_pairs", fileInfo(valPairs, val.size()));
        else data.put("val_pairs", "random 5% of the training sources (seed " + seed + "), " + val.size() + " pairs");
        data.put("train_pairs", train.size());
        data.put("val_pairs_used", valEx.size());
        Map<String, Object> settings = settings(config, options, st, tt, sv, tv, model);

        PrintStreamOut o = new PrintStreamOut(quiet);
        o.println(String.format("seq2seq: %,d training pairs, %,d validation pairs; vocabularies %d source / %d target; %,d parameters",
                train.size(), valEx.size(), sv.size(), tv.size(), model.parameters().size()));
        long batchesPerEpoch = (train.size() + batchSize - 1) / batchSize;
        Seq2SeqTrainer trainer = new Seq2SeqTrainer(model, train, valEx, options);
        // --epochs and --time-budget may change on resume (training longer continues the same trajectory), and so
        // may --out: the checkpoint folder is named by --resume.
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("pairs (sha256)", Splits.sha256(pairs));
        if (valPairs != null) extra.put("val-pairs (sha256)", Splits.sha256(valPairs));
        if (initModel != null) extra.put("init-model (sha256)", Splits.sha256(initModel));
        Map<String, String> fingerprint = CheckpointFlags.fingerprint(spec, Set.of("--epochs", "--time-budget", "--out"), extra);
        PrintWriter err = spec.commandLine().getErr();
        Progress bar = Progress.start("train", batchesPerEpoch, "batches", !quiet);
        boolean[] barOpen = {true};
        Runnable closeBar = () -> {
            if (barOpen[0]) bar.close();
            barOpen[0] = false;
        };
        trainer.listener(new Seq2SeqTrainer.Listener() {
            long lastLine = System.nanoTime();

            @Override
            public void batch(int epoch, long stepInEpoch, long stepsPerEpoch, double loss, double tokensPerSecond) {
                String text = String.format("epoch %d  loss %.4f  %.0f tok/s", epoch, loss, tokensPerSecond);
                bar.stepTo(stepInEpoch, text);
                if (System.console() == null && System.nanoTime() - lastLine > 300e9) {
                    lastLine = System.nanoTime();
                    o.println(String.format("  batch %d/%d  %s", stepInEpoch, stepsPerEpoch, text));
                }
            }

            @Override
            public void evaluated(Seq2SeqTrainer.Validation c) {
                o.println(String.format("epoch %d step %d  train %.4f  val %.4f%s  lr %.2g  %s%s", c.epoch(), c.step(), c.trainLoss(),
                        c.valLoss(), c.valSequenceError() == null ? "" : String.format("  val seq err %.2f%% tok err %.2f%%",
                                100 * c.valSequenceError(), 100 * c.valTokenError()),
                        c.learningRate(), Progress.format(Duration.ofMillis((long) (c.seconds() * 1000))), c.best() ? "  (best)" : ""));
            }

            @Override
            public void improved(Seq2SeqModel m, Seq2SeqTrainer.Validation c) throws IOException {
                provenance(m, commandLine, settings, data, c, null);
                m.save(modelFile);
            }

            @Override
            public void note(String line) {
                err.println(line);
                err.flush();
            }
        });
        try {
            // The outputs are written inside: a run killed while writing them still has its checkpoints.
            int code = ResumableTraining.run(spec, checkpoints, out.resolve("checkpoints"), fingerprint, trainer, () -> {
                closeBar.run();
                writeOutputs(trainer.finish(), model, val, modelFile, commandLine, settings, data, o);
            });
            if (code != 0) return code;
        } finally {
            closeBar.run();
        }
        return 0;
    }

    /** The finished run's model (best parameters), metrics.json and loss.png. */
    private void writeOutputs(Seq2SeqTrainer.Outcome outcome, Seq2SeqModel model, List<Pair> val, Path modelFile, String commandLine,
                              Map<String, Object> settings, Map<String, Object> data, PrintStreamOut o) throws IOException {
        // final figures of the best model on the whole validation set
        Map<String, Object> valMetrics = new LinkedHashMap<>();
        if (!val.isEmpty()) {
            Evaluation.Result r = EvalCommand.evaluate(Seq2SeqEnsemble.of(List.of(model)), val, 1, Math.max(2 * maxLength, 50), 64, 1.0, null).result();
            valMetrics = EvalCommand.json(r, 1);
        }
        provenance(model, commandLine, settings, data, outcome.best(), valMetrics);
        model.save(modelFile);

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("command", commandLine);
        metrics.put("rnn4j_version", Version.get());
        metrics.put("settings", settings);
        metrics.put("data", data);
        metrics.put("steps", outcome.steps());
        metrics.put("epochs", outcome.epochsDone());
        metrics.put("seconds", outcome.seconds());
        metrics.put("target_tokens_per_second", outcome.targetTokensPerSecond());
        metrics.put("stop_reason", outcome.stopReason());
        if (outcome.best() != null) metrics.put("best", outcome.best().toJson());
        metrics.put("validation_greedy", valMetrics);
        List<Object> h = new ArrayList<>();
        for (Seq2SeqTrainer.Validation c : outcome.history()) h.add(c.toJson());
        metrics.put("history", h);
        Json.writeFile(out.resolve("metrics.json"), metrics);
        plot(outcome.history(), out.resolve("loss.png"));
        o.println(String.format("done: %s; %d steps, %.2f epochs in %s, %.0f target tokens/s", outcome.stopReason(), outcome.steps(),
                outcome.epochsDone(), Progress.format(Duration.ofMillis((long) (outcome.seconds() * 1000))), outcome.targetTokensPerSecond()));
        if (!valMetrics.isEmpty()) o.println("validation (greedy, best model): " + EvalCommand.summary(valMetrics));
        o.println("wrote " + modelFile + ", " + out.resolve("metrics.json") + ", " + out.resolve("loss.png"));
    }

    private static void plot(List<Seq2SeqTrainer.Validation> history, Path png) throws IOException {
        if (history.isEmpty()) return;
        double[] x = new double[history.size()], tr = new double[history.size()], va = new double[history.size()];
        boolean hasVal = false;
        for (int i = 0; i < x.length; i++) {
            Seq2SeqTrainer.Validation c = history.get(i);
            x[i] = c.step();
            tr[i] = c.trainLoss();
            va[i] = c.valLoss();
            hasVal |= !Double.isNaN(c.valLoss());
        }
        Plots.Chart chart = new Plots.Chart("seq2seq training", "step", "cross-entropy per target token")
                .line("train", new Plots.Line(x, tr, false));
        if (hasVal) chart.line("validation", new Plots.Line(x, va, false));
        chart.save(png);
    }

    private Map<String, Object> settings(Seq2SeqConfig c, Seq2SeqTrainer.Options o, Tokenization st, Tokenization tt, Vocabulary sv,
                                         Vocabulary tv, Seq2SeqModel m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cell", c.cell().cliName());
        s.put("embedding_size", c.embeddingSize());
        s.put("hidden_size", c.hiddenSize());
        s.put("layers", c.layers());
        s.put("attention", c.attention().cliName());
        s.put("dropout", c.dropout());
        s.put("source_tokens", st.cliName());
        s.put("target_tokens", tt.cliName());
        s.put("source_vocabulary", sv.size());
        s.put("target_vocabulary", tv.size());
        s.put("parameters", m.parameters().size());
        s.put("batch_size", o.batchSize());
        s.put("epochs", o.epochs());
        s.put("time_budget", o.timeBudget() == null ? null : o.timeBudget().toString());
        s.put("seed", o.seed());
        s.put("optimizer", "adam");
        s.put("learning_rate", o.learningRate());
        s.put("clip_norm", o.clipNorm());
        s.put("patience", o.patience());
        s.put("lr_patience", o.lrPatience());
        s.put("evals_per_epoch", o.evalsPerEpoch());
        s.put("max_length", maxLength);
        s.put("min_count", minCount);
        return s;
    }

    static Map<String, Object> fileInfo(Path file, int rows) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", file.toString());
        m.put("sha256", Splits.sha256(file));
        m.put("bytes", Files.size(file));
        m.put("rows", rows);
        return m;
    }

    static void provenance(Seq2SeqModel m, String command, Map<String, Object> settings, Map<String, Object> data,
                           Seq2SeqTrainer.Validation best, Map<String, Object> valMetrics) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", command);
        p.put("rnn4j_version", Version.get());
        p.put("java", Runtime.version().toString());
        p.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("settings", settings);
        p.put("data", data);
        if (best != null) p.put("best_checkpoint", best.toJson());
        if (valMetrics != null) p.put("validation_greedy", valMetrics);
        m.metadata().put("rnn4j.provenance", Json.write(p));
    }

    /** Prints unless quiet. */
    record PrintStreamOut(boolean quiet) {
        void println(String s) {
            if (!quiet) {
                System.out.println(s);
                System.out.flush();
            }
        }
    }
}
