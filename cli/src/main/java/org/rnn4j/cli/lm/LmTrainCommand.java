package org.rnn4j.cli.lm;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rnn4j.apps.lm.Corpus;
import org.rnn4j.apps.lm.LanguageModel;
import org.rnn4j.apps.lm.LanguageModelSession;
import org.rnn4j.apps.lm.Level;
import org.rnn4j.apps.lm.LmTrainConfig;
import org.rnn4j.apps.lm.LmTrainResult;
import org.rnn4j.apps.lm.LmTrainer;
import org.rnn4j.apps.lm.Sampler;
import org.rnn4j.apps.lm.SamplingConfig;
import org.rnn4j.cli.CheckpointFlags;
import org.rnn4j.cli.Plots;
import org.rnn4j.cli.Progress;
import org.rnn4j.cli.ResumableTraining;
import org.rnn4j.cli.UserException;
import org.rnn4j.cli.Version;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a character- or word-level language model on a UTF-8 text file.",
                "The last --val-fraction of the text is held out for validation; the best validation model is kept.",
                "Writes OUT/model.safetensors, OUT/metrics.json and OUT/loss.png.",
                "Checkpoints go to OUT/checkpoints/ (every 10 minutes, and on Ctrl-C); an interrupted run continues, bit for bit,"
                        + " with the same command plus --resume OUT/checkpoints. A non-finite loss or gradient skips that step and"
                        + " halves the learning rate; 5 in a row stop the run."})
public final class LmTrainCommand implements Callable<Integer> {
    /**
     * Flags that may change when an interrupted run is resumed: more epochs or time continue the same
     * trajectory; the output folder and the sample length change no weight.
     */
    static final Set<String> MAY_CHANGE_ON_RESUME = Set.of("--epochs", "--time-budget", "--out", "--sample-length");

    @Mixin
    CheckpointFlags checkpoints;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "training text (UTF-8)")
    Path text;
    @Option(names = "--level", defaultValue = "char", description = "char or word (default: ${DEFAULT-VALUE})")
    String level;
    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru, rnn-tanh or rnn-relu (default: ${DEFAULT-VALUE})")
    String cell;
    @Option(names = "--hidden-size", defaultValue = "256", paramLabel = "N", description = "hidden units per layer (default: ${DEFAULT-VALUE})")
    int hiddenSize;
    @Option(names = "--layers", defaultValue = "2", paramLabel = "N", description = "stacked recurrent layers (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--dropout", defaultValue = "0.2", paramLabel = "F", description = "dropout between layers (default: ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--embedding-size", defaultValue = "0", paramLabel = "N",
            description = "token embedding size; 0 = 64 for char (at most the hidden size), the hidden size for word")
    int embeddingSize;
    @Option(names = "--seq-len", defaultValue = "100", paramLabel = "N", description = "steps of truncated BPTT per batch (default: ${DEFAULT-VALUE})")
    int seqLen;
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "parallel contiguous streams (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--lr", defaultValue = "0.002", paramLabel = "F", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--clip-norm", defaultValue = "5", paramLabel = "F", description = "clip the global gradient norm; 0 = off (default: ${DEFAULT-VALUE})")
    double clipNorm;
    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "most passes over the training text (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--time-budget", paramLabel = "DURATION", description = "stop in time, best model kept: 90s, 10m, 1h30m")
    String timeBudget;
    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F", description = "share of the text at the end held out (default: ${DEFAULT-VALUE})")
    double valFraction;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of initialisation, dropout and samples (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", paramLabel = "DIR", description = "output folder, must not exist or be empty (default: rnn4j-out/lm-<time>)")
    Path out;
    @Option(names = "--max-vocab", defaultValue = "10000", paramLabel = "N",
            description = "most tokens in the vocabulary, <unk> included; rarer ones become <unk> (default: ${DEFAULT-VALUE})")
    int maxVocab;
    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "STEPS",
            description = "validate (and sample) every this many steps; 0 = once per epoch (default: ${DEFAULT-VALUE})")
    int evalEvery;
    @Option(names = "--lr-decay", defaultValue = "0.5", paramLabel = "F", description = "LR factor when validation stops improving (default: ${DEFAULT-VALUE})")
    double lrDecay;
    @Option(names = "--patience", defaultValue = "1", paramLabel = "N", description = "evaluations without improvement before decaying (default: ${DEFAULT-VALUE})")
    int patience;
    @Option(names = "--sample-length", defaultValue = "200", paramLabel = "N", description = "tokens of sample text shown at each evaluation; 0 = none")
    int sampleLength;
    @Option(names = "--shuffle-lines", description = "shuffle the lines of the text (seeded by --seed) before the split: for lists such as names, one per line")
    boolean shuffleLines;
    @Option(names = "--init-from", paramLabel = "MODEL", description = "start from this model's weights (same vocabulary), e.g. to compare with PyTorch")
    Path initFrom;
    @Option(names = "--quiet", description = "print nothing but errors")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Level lv = Level.parse(level);
        CellKind ck = parseCell(cell);
        Duration budget = timeBudget == null ? null : Durations.parse(timeBudget);
        LmTrainConfig cfg = new LmTrainConfig(seqLen, batchSize, lr, clipNorm, epochs, budget, seed, evalEvery, lrDecay, patience);
        if (!(dropout >= 0 && dropout < 1)) throw new UserException("--dropout must be in [0, 1), got " + dropout);
        if (hiddenSize <= 0 || layers <= 0) throw new UserException("--hidden-size and --layers must be > 0, got " + hiddenSize + " and " + layers);
        if (embeddingSize < 0) throw new UserException("--embedding-size must be >= 0 (0 = automatic), got " + embeddingSize);
        if (maxVocab < 2) throw new UserException("--max-vocab must be >= 2, got " + maxVocab);
        if (sampleLength < 0) throw new UserException("--sample-length must be >= 0, got " + sampleLength);
        Path resumeDir = spec.findOption("--resume").getValue();
        if (resumeDir == null && out != null) checkFreshFolder(out);
        // Resuming: the run's folder is --out, or the folder that holds the default OUT/checkpoints.
        Path resumeOut = resumeDir == null || out != null ? out : runFolderOf(resumeDir);

        Corpus corpus = Corpus.load(text, lv, maxVocab, valFraction, Corpus.defaultMemoryLimit(), shuffleLines, seed);
        int emb = embeddingSize > 0 ? embeddingSize : lv == Level.CHAR ? Math.min(64, hiddenSize) : hiddenSize;
        LanguageModel lm = initFrom != null ? initialModel(corpus, emb, ck)
                : LanguageModel.create(corpus.vocabulary(), ck, emb, hiddenSize, layers, dropout, seed);
        if (corpus.trainTokens() - 1 < batchSize) {
            throw new UserException(text + ": the training part has " + corpus.trainTokens() + " " + lv.unit()
                    + " tokens, too few for --batch-size " + batchSize + " (each stream needs at least 2); lower --batch-size or give more text");
        }
        Path dir = resumeOut != null ? resumeOut : out != null ? out : defaultFolder();
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        Path modelPath = dir.resolve("model.safetensors");

        Map<String, Object> settings = settings(lv, ck, emb, budget);
        lm.training().put("rnn4j_version", Version.get());
        lm.training().put("settings", settings);
        RecurrentConfig rc = lm.network().config().rnn();
        String unit = lv.unit();
        if (!quiet) {
            o.printf("lm train: %s — %,d training / %,d validation %ss, vocabulary %,d%s%n", text, corpus.trainTokens(),
                    corpus.validationTokens(), unit, corpus.vocabulary().size(),
                    corpus.unknownValidationTokens() > 0 ? String.format(" (%,d validation %ss unseen in training)",
                            corpus.unknownValidationTokens(), unit) : "");
            o.printf("model: %s %d×%d, embedding %d, dropout %s, %,d parameters; out: %s%n", rc.cell().cliName(), rc.numLayers(),
                    rc.hiddenSize(), rc.inputSize(), rc.dropout(), lm.network().parameters().size(), dir);
            o.flush();
        }
        Map<String, String> fingerprint = CheckpointFlags.fingerprint(spec, MAY_CHANGE_ON_RESUME, Map.of("text (sha256 of tokens/vocabulary)",
                CheckpointFlags.sha256(null, corpus.tokens()) + "/"
                        + CheckpointFlags.sha256(null, String.join("\u0000", corpus.vocabulary().tokens()).codePoints().toArray())));
        LmTrainResult[] done = new LmTrainResult[1];
        int code;
        try (Progress bar = Progress.start("lm train", 1, "step", !quiet)) {
            Reporter reporter = new Reporter(o, bar, lm, budget, dir, corpus, settings);
            LmTrainer trainer;
            try {
                trainer = new LmTrainer(lm, corpus, cfg, modelPath, reporter);
            } catch (IllegalArgumentException e) {
                throw new UserException(text + ": " + e.getMessage());
            }
            reporter.trainer = trainer;
            code = ResumableTraining.run(spec, checkpoints, dir.resolve("checkpoints"), fingerprint, trainer, () -> {
                LmTrainResult r = trainer.result();
                lm.training().put("step", r.bestStep());
                lm.training().put("val_loss", r.bestValLoss());
                lm.save(modelPath);
                writeMetrics(dir.resolve("metrics.json"), r, corpus, lm, settings, reporter.cpuAtStep, reporter.cpu());
                plot(dir.resolve("loss.png"), r, unit);
                done[0] = r;
            });
        } catch (IOException | RuntimeException e) {
            if (created) deleteIfEmpty(dir); // a run refused at the start leaves no empty folder behind
            throw e;
        }
        if (code != 0) return code;
        LmTrainResult r = done[0];
        if (!quiet) {
            o.printf("done (%s, %s): best validation loss %.4f nats/%s (%s) at step %d; %,.0f tokens/s%n", r.stopReason(),
                    Progress.format(Duration.ofSeconds((long) r.elapsedSeconds())), r.bestValLoss(), unit,
                    lv == Level.CHAR ? String.format("%.4f bpc", r.bestValLoss() / Math.log(2))
                            : String.format("perplexity %.2f", Math.exp(r.bestValLoss())), r.bestStep(), r.tokensPerSecond());
            o.printf("wrote %s, %s, %s%n", modelPath, dir.resolve("metrics.json"), dir.resolve("loss.png"));
            o.flush();
        }
        return 0;
    }

    static CellKind parseCell(String s) {
        try {
            return CellKind.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserException("--cell must be lstm, gru, rnn-tanh or rnn-relu, got '" + s + "'");
        }
    }

    private LanguageModel initialModel(Corpus corpus, int emb, CellKind ck) throws IOException {
        LanguageModel lm = LanguageModel.load(initFrom);
        if (!lm.vocabulary().tokens().equals(corpus.vocabulary().tokens()) || lm.level() != corpus.vocabulary().level()) {
            throw new UserException(initFrom + ": its vocabulary (" + lm.vocabulary() + ") is not the one of " + text
                    + " (" + corpus.vocabulary() + ")");
        }
        RecurrentConfig rc = lm.network().config().rnn();
        if (rc.cell() != ck || rc.hiddenSize() != hiddenSize || rc.numLayers() != layers || rc.inputSize() != emb) {
            throw new UserException(initFrom + ": the model is " + rc.cell().cliName() + " " + rc.numLayers() + "×" + rc.hiddenSize()
                    + " with embedding " + rc.inputSize() + ", but the flags ask for " + ck.cliName() + " " + layers + "×" + hiddenSize
                    + " with embedding " + emb);
        }
        // Dropout is a training setting, not a weight: take the flag's.
        var mc = lm.network().config();
        var net = new org.rnn4j.nn.SequenceModel(new org.rnn4j.nn.ModelConfig(rc.withDropout(dropout), mc.headSize(), mc.vocabSize()));
        System.arraycopy(lm.network().parameters().values(), 0, net.parameters().values(), 0, net.parameters().size());
        return new LanguageModel(net, lm.vocabulary());
    }

    static void checkFreshFolder(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new UserException("--out " + dir + " is a file; give a folder that does not exist yet");
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    Path ck = dir.resolve("checkpoints");
                    boolean unfinished = Files.isDirectory(ck);
                    if (unfinished) {
                        try (var c = Files.list(ck)) {
                            unfinished = c.anyMatch(p -> p.getFileName().toString().matches("ckpt-\\d+\\.safetensors"));
                        }
                    }
                    throw new UserException("--out " + dir + " already exists and is not empty; runs are never overwritten: "
                            + (unfinished ? "it holds an unfinished run; add --resume " + ck + " to continue it, or choose another folder"
                                    : "choose another folder"));
                }
            }
        }
    }

    /** The output folder of a run resumed from {@code checkpoints} without --out: the default layout OUT/checkpoints. */
    static Path runFolderOf(Path checkpoints) {
        Path abs = checkpoints.toAbsolutePath().normalize();
        if (abs.getFileName() == null || !abs.getFileName().toString().equals("checkpoints") || abs.getParent() == null) {
            throw new UserException("--resume " + checkpoints + ": give --out as well (the output folder of the interrupted run);"
                    + " without it the checkpoints must be in OUT/checkpoints");
        }
        return checkpoints.toAbsolutePath().getParent();
    }

    private static void deleteIfEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            if (s.findAny().isEmpty()) Files.delete(dir);
        } catch (IOException e) {
            // Best effort: the error being reported matters more.
        }
    }

    private static Path defaultFolder() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of("rnn4j-out", "lm-" + stamp);
        Path p = base;
        for (int i = 2; Files.exists(p); i++) p = Path.of(base + "-" + i);
        return p;
    }

    private Map<String, Object> settings(Level lv, CellKind ck, int emb, Duration budget) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("text", text.toString());
        s.put("level", lv.cliName());
        s.put("cell", ck.cliName());
        s.put("hidden_size", hiddenSize);
        s.put("layers", layers);
        s.put("dropout", dropout);
        s.put("embedding_size", emb);
        s.put("seq_len", seqLen);
        s.put("batch_size", batchSize);
        s.put("lr", lr);
        s.put("clip_norm", clipNorm);
        s.put("epochs", epochs);
        s.put("time_budget_seconds", budget == null ? null : budget.toMillis() / 1000.0);
        s.put("val_fraction", valFraction);
        s.put("seed", seed);
        s.put("max_vocab", maxVocab);
        s.put("eval_every", evalEvery);
        s.put("lr_decay", lrDecay);
        s.put("patience", patience);
        s.put("plateau_threshold", LmTrainConfig.PLATEAU_THRESHOLD);
        s.put("optimizer", "adam");
        if (initFrom != null) s.put("init_from", initFrom.toString());
        s.put("shuffle_lines", shuffleLines);
        return s;
    }

    /** CPU time of this process so far: on a shared machine it says more about cost than wall-clock time. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    private static void writeMetrics(Path file, LmTrainResult r, Corpus corpus, LanguageModel lm, Map<String, Object> settings,
            Map<Long, Double> cpuAtStep, double cpuSeconds) throws IOException {
        boolean chr = lm.level() == Level.CHAR;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("val_loss", r.bestValLoss());
        if (chr) m.put("val_bpc", r.bestValLoss() / Math.log(2));
        else m.put("val_perplexity", Math.exp(r.bestValLoss()));
        m.put("train_loss", r.trainLoss());
        m.put("tokens_per_second", r.tokensPerSecond());
        m.put("epochs", r.epochs());
        m.put("steps", r.steps());
        m.put("best_step", r.bestStep());
        m.put("elapsed_seconds", r.elapsedSeconds());
        m.put("process_cpu_seconds", cpuSeconds);
        m.put("stop_reason", r.stopReason());
        m.put("final_lr", r.finalLr());
        m.put("level", lm.level().cliName());
        m.put("vocab_size", lm.vocabulary().size());
        m.put("train_tokens", corpus.trainTokens());
        m.put("val_tokens", corpus.validationTokens());
        m.put("unknown_val_tokens", corpus.unknownValidationTokens());
        m.put("parameters", lm.network().parameters().size());
        m.put("settings", settings);
        List<Object> h = new ArrayList<>();
        for (LmTrainResult.EvalPoint p : r.history()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", p.step());
            e.put("epoch", p.epoch());
            e.put("elapsed_seconds", p.elapsedSeconds());
            e.put("process_cpu_seconds", cpuAtStep.get(p.step()));
            e.put("train_loss", Double.isFinite(p.trainLoss()) ? p.trainLoss() : null);
            e.put("val_loss", Double.isFinite(p.valLoss()) ? p.valLoss() : null);
            e.put("lr", p.lr());
            h.add(e);
        }
        m.put("history", h);
        if (!Double.isFinite(r.bestValLoss())) m.put("val_loss", null);
        if (!Double.isFinite(r.trainLoss())) m.put("train_loss", null);
        m.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
        Json.writeFile(file, m);
    }

    private static void plot(Path png, LmTrainResult r, String unit) throws IOException {
        int n = r.history().size();
        double[] x = new double[n], tr = new double[n], va = new double[n];
        for (int i = 0; i < n; i++) {
            LmTrainResult.EvalPoint p = r.history().get(i);
            x[i] = p.elapsedSeconds() / 60;
            tr[i] = p.trainLoss();
            va[i] = p.valLoss();
        }
        new Plots.Chart("Language model loss", "wall-clock minutes", "loss (nats per " + unit + ")")
                .line("train", new Plots.Line(x, tr, true))
                .line("validation", new Plots.Line(x, va, false))
                .save(png);
    }

    /** Progress bar between evaluations; at each evaluation a line and a short sample. */
    private final class Reporter implements LmTrainer.Listener {
        private final PrintWriter o;
        private final Progress bar;
        private final LanguageModel lm;
        private final Duration budget;
        private final Path dir;
        private final Corpus corpus;
        private final Map<String, Object> settings;
        /** CPU seconds at each evaluation, earlier (interrupted) processes of the run included. */
        final Map<Long, Double> cpuAtStep = new java.util.HashMap<>();
        /** CPU seconds spent by the earlier processes of a resumed run. */
        private double cpuBefore;
        LmTrainer trainer;
        private long maxSteps;
        private double tokensPerSecond;

        Reporter(PrintWriter o, Progress bar, LanguageModel lm, Duration budget, Path dir, Corpus corpus, Map<String, Object> settings) {
            this.o = o;
            this.bar = bar;
            this.lm = lm;
            this.budget = budget;
            this.dir = dir;
            this.corpus = corpus;
            this.settings = settings;
        }

        @Override
        public void started(int stepsPerEpoch, long maxSteps, long tokensPerEpoch) {
            this.maxSteps = maxSteps;
            bar.maxHint(maxSteps);
            if (!quiet) {
                o.printf("%,d steps per epoch of %,d tokens (%d streams × %d steps per batch)%n", stepsPerEpoch, tokensPerEpoch,
                        batchSize, seqLen);
                o.flush();
            }
        }

        @Override
        public void step(long step, double epoch, double loss, double tokensPerSecond, double elapsed) {
            this.tokensPerSecond = tokensPerSecond;
            double perStep = elapsed / step;
            double eta = (maxSteps - step) * perStep;
            if (budget != null) eta = Math.min(eta, Math.max(0, budget.toMillis() / 1000.0 - elapsed));
            bar.stepTo(step, String.format("loss %.3f | %,.0f tok/s | ETA %s", loss, tokensPerSecond,
                    Progress.format(Duration.ofSeconds((long) eta))));
        }

        /** CPU seconds of the whole run so far. */
        double cpu() {
            return cpuBefore + cpuSeconds();
        }

        @Override
        public void note(String line) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        }

        @Override
        public void save(Checkpoint ck) {
            ck.putDouble("listener.cpuSeconds", cpu());
            List<Long> steps = cpuAtStep.keySet().stream().sorted().toList();
            ck.putLong("listener.cpuAtStep", steps.size());
            for (int i = 0; i < steps.size(); i++) {
                ck.putLong("listener.cpuAtStep." + i + ".step", steps.get(i));
                ck.putDouble("listener.cpuAtStep." + i + ".seconds", cpuAtStep.get(steps.get(i)));
            }
        }

        @Override
        public void restore(Checkpoint ck) {
            cpuBefore = ck.getDouble("listener.cpuSeconds");
            cpuAtStep.clear();
            int n = ck.getInt("listener.cpuAtStep");
            for (int i = 0; i < n; i++) {
                cpuAtStep.put(ck.getLong("listener.cpuAtStep." + i + ".step"), ck.getDouble("listener.cpuAtStep." + i + ".seconds"));
            }
        }

        @Override
        public void evaluated(LmTrainResult.EvalPoint p) {
            // metrics.json and loss.png follow the run, so a long run can be watched (or stopped) at any time.
            List<LmTrainResult.EvalPoint> history = trainer.history();
            cpuAtStep.put(p.step(), cpu());
            LmTrainResult.EvalPoint best = history.stream().min(java.util.Comparator.comparingDouble(LmTrainResult.EvalPoint::valLoss))
                    .orElse(p);
            LmTrainResult sofar = new LmTrainResult(best.valLoss(), best.step(), p.trainLoss(), tokensPerSecond, p.epoch(), p.step(),
                    p.elapsedSeconds(), "running", p.lr(), List.copyOf(history));
            try {
                writeMetrics(dir.resolve("metrics.json"), sofar, corpus, lm, settings, cpuAtStep, cpu());
                plot(dir.resolve("loss.png"), sofar, lm.level().unit());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (quiet) return;
            o.printf("step %,d (epoch %.2f, %s): train %.4f  val %.4f%s  lr %.3g%n", p.step(), p.epoch(),
                    Progress.format(Duration.ofSeconds((long) p.elapsedSeconds())), p.trainLoss(), p.valLoss(),
                    p.best() ? " (best, saved)" : "", p.lr());
            if (sampleLength > 0) {
                LanguageModelSession s = lm.newSession();
                Sampler sampler = new Sampler(SamplingConfig.of(0.8), lm.vocabulary().size());
                Rng rng = new Rng(seed ^ p.step());
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < sampleLength; i++) sb.append(s.generateText(sampler, rng));
                o.println("    " + sb.toString().strip().replace("\n", "\n    "));
            }
            o.flush();
        }
    }
}
