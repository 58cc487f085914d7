package org.rnn4j.cli.forecast;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rnn4j.apps.forecast.BiasCorrection;
import org.rnn4j.apps.forecast.Evaluation;
import org.rnn4j.apps.forecast.ForecastDataset;
import org.rnn4j.apps.forecast.ForecastModelConfig;
import org.rnn4j.apps.forecast.ForecastOptions;
import org.rnn4j.apps.forecast.ForecastTrainer;
import org.rnn4j.apps.forecast.Forecaster;
import org.rnn4j.apps.forecast.LinearBaseline;
import org.rnn4j.apps.forecast.LrSchedule;
import org.rnn4j.apps.forecast.Metrics;
import org.rnn4j.cli.CheckpointFlags;
import org.rnn4j.cli.Progress;
import org.rnn4j.cli.ResumableTraining;
import org.rnn4j.cli.RunFolder;
import org.rnn4j.cli.UserException;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j forecast}: the worked example of the article — preprocess a weather series, build an
 * LSTM, train it, evaluate it against persistence, seasonal persistence and climatology.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, subcommands = ForecastPredictCommand.class,
        description = {"Train and evaluate a recurrent forecaster on a time-series CSV.",
                "With no arguments: tomorrow's temp_max from the embedded Seattle daily weather (NOAA, 2012-2015).",
                "Checkpoints go to <out>/checkpoints/ (every 10 minutes, and on Ctrl-C); an interrupted run continues, bit for"
                        + " bit, with the same command plus --resume <out>/checkpoints. A non-finite loss or gradient skips that"
                        + " step and halves the learning rate; 5 in a row stop the run."})
public final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CheckpointFlags checkpoints;

    @Option(names = "--data", description = "CSV file with a header (default: the embedded Seattle weather)")
    Path data;
    @Option(names = "--time-column", description = "time column (default: detected: date/time/datetime/timestamp, or year,month,day[,hour])")
    String timeColumn;
    @Option(names = "--target", description = "column to forecast (default: temp_max for the embedded data; required with --data)")
    String target;
    @Option(names = "--features", split = ",", description = "input columns, comma-separated (default: all usable columns)")
    List<String> features;
    @Option(names = "--lookback", description = "input steps per window (default: 14 for daily data, 48 for hourly)")
    Integer lookback;
    @Option(names = "--horizon", defaultValue = "1", description = "steps from the last input to the first forecast (default: ${DEFAULT-VALUE})")
    int horizon;
    @Option(names = "--steps-ahead", defaultValue = "1", description = "consecutive steps forecast at once (default: ${DEFAULT-VALUE})")
    int stepsAhead;
    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru, rnn-tanh or rnn-relu (default: ${DEFAULT-VALUE})")
    String cell;
    @Option(names = "--hidden-size", defaultValue = "64", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hiddenSize;
    @Option(names = "--layers", defaultValue = "1", description = "stacked layers (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--dropout", defaultValue = "0", description = "dropout between layers (default: ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay; 0 = plain Adam (default: ${DEFAULT-VALUE})")
    double weightDecay;
    @Option(names = "--batch-size", defaultValue = "32", description = "windows per step (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--epochs", defaultValue = "200", description = "most epochs (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--patience", defaultValue = "20", description = "stop after this many epochs without a better validation loss (default: ${DEFAULT-VALUE})")
    int patience;
    @Option(names = "--clip-norm", defaultValue = "1.0", description = "gradient norm clip; 0 = off (default: ${DEFAULT-VALUE})")
    double clipNorm;
    @Option(names = "--predict", defaultValue = "auto", description = {"what the network outputs: change (from the last observed value),",
            "value, linear (the correction to a ridge regression on the window, fitted first), or auto = change one step ahead",
            "(where persistence is strong), value further ahead (default: auto)"})
    String predict;
    @Option(names = "--ensemble", defaultValue = "1", description = "networks with different seeds, averaged (default: ${DEFAULT-VALUE})")
    int ensemble;
    @Option(names = "--ema", defaultValue = "0", description = {"keep an exponential moving average of the weights with this decay"
            + " (e.g. 0.999); validation, early stopping and the saved model use it; 0 = off (default: ${DEFAULT-VALUE})"})
    double ema;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = {"constant; plateau (halve the learning rate after an"
            + " epoch without a better validation loss); plateau-restore (the same, from the best weights); cosine (decay to 0 over"
            + " --epochs) (default: ${DEFAULT-VALUE})"})
    String lrSchedule;
    @Option(names = "--refit", description = {"after early stopping chose the epoch count, train a fresh network on the training and"
            + " validation windows for that many epochs and keep it"})
    boolean refit;
    @Option(names = "--loss-steps", defaultValue = "1", description = {"train on the outputs of the last N input steps of each"
            + " window, each forecasting --horizon steps after its own step; validation scores the last step (default: ${DEFAULT-VALUE})"})
    int lossSteps;
    @Option(names = "--input-noise", defaultValue = "0", description = {"standard deviation of Gaussian noise added to the"
            + " normalised training inputs; 0 = off (default: ${DEFAULT-VALUE})"})
    double inputNoise;
    @Option(names = "--log-inputs", defaultValue = "none", description = {"feed numeric input columns as log(1 + x): none, auto"
            + " (columns with minimum >= 0 and skewness > 1.5 in the training part, e.g. rain, pm2.5), or column names,"
            + " comma-separated; never the target (default: ${DEFAULT-VALUE})"})
    String logInputs;
    @Option(names = "--bias-correction", defaultValue = "0", description = {"subtract from each forecast the mean error of the"
            + " model's forecasts whose targets were observed in the last DAYS days before it (known at forecast time);"
            + " auto = choose DAYS among 7, 14, 30, 60, 90 or none by the validation MAE; kept in the model for"
            + " `forecast predict`; 0 = off (default: ${DEFAULT-VALUE})"})
    String biasCorrection;
    @Option(names = "--split", defaultValue = "0.7,0.1", split = ",", description = "train and validation shares; the rest is test (default: 0.7,0.1)")
    List<Double> split;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", description = "output folder (default: rnn4j-out/forecast-<timestamp>/)")
    Path out;
    @Option(names = "--quiet", description = "print only the result table")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Instant start = Instant.now();
        if (data != null && target == null) {
            throw new org.rnn4j.cli.UserException("--target is required with --data (the column to forecast)");
        }
        if (split.size() != 2) throw new org.rnn4j.cli.UserException("--split takes two shares, e.g. 0.7,0.1; got " + split);
        ForecastOptions opts = ForecastOptions.forTarget(target == null ? ForecastDataset.DEFAULT_TARGET : target)
                .withHorizon(horizon).withStepsAhead(stepsAhead).withSplit(split.get(0), split.get(1));
        if (timeColumn != null) opts = opts.withTimeColumn(timeColumn);
        if (features != null) opts = opts.withFeatures(features);
        if (lookback != null) opts = opts.withLookback(lookback);
        opts = opts.withLogInputs(logInputs);
        Integer fixedBias = biasDays(); // null = auto; checked before training
        ForecastDataset ds = data == null ? ForecastDataset.loadDefault(opts) : ForecastDataset.load(data, opts);
        boolean change = switch (predict) {
            case "change" -> true;
            case "value", "linear" -> false;
            case "auto" -> horizon == 1;
            default -> throw new org.rnn4j.cli.UserException("--predict must be change, value, linear or auto, got '" + predict + "'");
        };
        boolean linearBase = predict.equals("linear");
        if (linearBase && lossSteps > 1) throw new UserException("--predict linear needs --loss-steps 1 (the ridge model reads the whole window)");
        int windowValues = ds.spec().lookback() * ds.spec().featureCount();
        if (linearBase && windowValues > LinearBaseline.MAX_INPUTS) {
            throw new UserException("--predict linear fits a ridge regression on the whole input window, up to " + LinearBaseline.MAX_INPUTS
                    + " values; this one has " + ds.spec().lookback() + " x " + ds.spec().featureCount() + " = " + windowValues
                    + " (shorten --lookback or choose fewer --features)");
        }
        ForecastModelConfig cfg = new ForecastModelConfig(CellKind.parse(cell), hiddenSize, layers, dropout, lr, weightDecay,
                batchSize, epochs, patience, clipNorm, change, ensemble, seed, ema, schedule(), refit, lossSteps, inputNoise, linearBase);
        // Before the output folder exists: a configuration the trainer refuses leaves nothing behind.
        ForecastTrainer trainer = new ForecastTrainer(ds, cfg);
        Path dir = outputFolder();
        if (!quiet) {
            System.out.println("data: " + (data == null ? "embedded Seattle daily weather (NOAA, 2012-2015)" : data));
            System.out.print(ds.report().toText());
            System.out.printf(Locale.ROOT, "windows: %d train, %d validation, %d test; lookback %d, horizon %d, steps ahead %d%n",
                    ds.train().size(), ds.validation().size(), ds.test().size(), ds.spec().lookback(), horizon, stepsAhead);
            System.out.printf(Locale.ROOT, "model: %s, hidden %d, %d layer(s), %s target, Adam lr %g, up to %d epochs (patience %d)%n",
                    cell, hiddenSize, layers, change ? "change-from-last" : linearBase ? "correction-to-ridge" : "value", lr, epochs, patience);
            if (ema > 0 || refit || lossSteps > 1 || inputNoise > 0 || !lrSchedule.equals("constant")) {
                System.out.printf(Locale.ROOT, "training: lr schedule %s, ema %s, refit %s, loss on the last %d step(s), input noise %s%n",
                        schedule().flag(), ema > 0 ? String.valueOf(ema) : "off", refit ? "on" : "off", lossSteps,
                        inputNoise > 0 ? String.valueOf(inputNoise) : "off");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        // --epochs may change on resume (a raised limit trains the current network longer); --out may be left out
        // on resume (it is then the folder that holds the checkpoints); --threads does not change the arithmetic.
        // --bias-correction only changes what is done with the trained networks, so it may change on resume too.
        Map<String, String> fingerprint = CheckpointFlags.fingerprint(spec, Set.of("--epochs", "--out", "--bias-correction"),
                Map.of("data (sha256)", ds.trainingDataSha256()));
        Progress bar = Progress.start("training", (long) epochs * ensemble, "epochs", !quiet);
        boolean[] barOpen = {true};
        Runnable endBar = () -> {
            if (barOpen[0]) {
                barOpen[0] = false;
                bar.close();
            }
        };
        trainer.listener(new ForecastTrainer.Listener() {
            @Override
            public void epochDone(int member, int epoch, int max, double trainLoss, double valLoss, boolean improved) {
                bar.stepTo((long) member * epochs + epoch, String.format(Locale.ROOT, "loss %.4f val %.4f", trainLoss, valLoss));
            }

            @Override
            public void memberDone(int member, int bestEpoch, double bestValLoss) {
                bar.stepTo((long) (member + 1) * epochs, "");
            }

            @Override
            public void note(String line) {
                err.println(line);
                err.flush();
            }
        });
        Evaluation[] eval = new Evaluation[1];
        int code;
        try {
            code = ResumableTraining.run(spec, checkpoints, dir.resolve("checkpoints"), fingerprint, trainer, () -> {
                endBar.run();
                eval[0] = writeOutputs(dir, ds, trainer, change, start, fixedBias);
            });
        } finally {
            endBar.run();
        }
        if (code != 0) return code;
        System.out.print(eval[0].toText());
        System.out.printf(Locale.ROOT, "wrote %s (model.safetensors, metrics.json, forecast.png, loss.png) in %s%n",
                dir, Progress.format(Duration.between(start, Instant.now())));
        return 0;
    }

    /** The --bias-correction window in days, or null for auto. */
    private Integer biasDays() {
        if (biasCorrection.equals("auto")) return null;
        try {
            int d = Integer.parseInt(biasCorrection.strip());
            if (d >= 0) return d;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UserException("--bias-correction must be a number of days >= 0 (0 = off) or auto, got '" + biasCorrection + "'");
    }

    private LrSchedule schedule() {
        try {
            return LrSchedule.parse(lrSchedule);
        } catch (IllegalArgumentException e) {
            throw new UserException("--lr-schedule must be constant, plateau, plateau-restore or cosine, got '" + lrSchedule + "'");
        }
    }

    /**
     * The run's folder: {@code --out}, or a new timestamped one. When resuming, the folder holding the checkpoints
     * (by default OUT/checkpoints, so OUT is found from {@code --resume} alone) may hold nothing else.
     */
    private Path outputFolder() throws IOException {
        Path resume = checkpoints.resumeDir();
        Path dir = out;
        if (resume != null) {
            Path ck = resume.toAbsolutePath().normalize();
            if (dir == null && ck.getFileName() != null && ck.getFileName().toString().equals("checkpoints")) {
                Path parent = resume.getParent();
                dir = parent != null ? parent : ck.getParent();
            }
            if (dir != null && Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        if (!p.toAbsolutePath().normalize().equals(ck)) {
                            throw new UserException(dir + " already holds " + p.getFileName() + "; a resumed run writes its results"
                                    + " into a folder that holds nothing but its checkpoints (choose another --out)");
                        }
                    }
                }
                return dir;
            }
        } else if (dir != null && Files.isDirectory(dir.resolve("checkpoints"))) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.allMatch(p -> p.getFileName().toString().equals("checkpoints"))) {
                    throw new UserException(dir + " holds the checkpoints of an unfinished run; add --resume "
                            + dir.resolve("checkpoints") + " to continue it, or remove the folder to start over");
                }
            }
        }
        return RunFolder.create(dir, "forecast");
    }

    /** Evaluates the trained forecaster on the test part and writes every output file; returns the evaluation. */
    private Evaluation writeOutputs(Path dir, ForecastDataset ds, ForecastTrainer trainer, boolean change, Instant start,
            Integer fixedBias) throws IOException {
        ForecastTrainer.Result result = trainer.result();
        Forecaster forecaster = result.forecaster();
        Map<String, Object> biasJson = null;
        Metrics uncorrected = null;
        double[] predictions;
        if (fixedBias != null && fixedBias == 0) {
            predictions = forecaster.predict(ds.test());
        } else {
            BiasCorrection.Applied bias = BiasCorrection.apply(ds, forecaster, fixedBias);
            predictions = bias.test();
            uncorrected = Metrics.of(bias.testUncorrected(), ds.test().actual());
            forecaster = forecaster.withBiasCorrection(bias.days());
            biasJson = new LinkedHashMap<>();
            biasJson.put("days", bias.days());
            biasJson.put("chosen_by", fixedBias != null ? "--bias-correction " + fixedBias : "validation MAE (auto)");
            biasJson.put("validation_mae_by_days", bias.validationMaeByDays());
            if (!quiet) {
                System.out.printf(Locale.ROOT, "bias correction: %d days (validation MAE by days: %s)%n", bias.days(),
                        bias.validationMaeByDays());
            }
        }
        Evaluation eval = Evaluation.evaluate(ds, predictions, forecaster.linearBase()); // the network's base is the baseline
        forecaster.save(dir.resolve("model.safetensors"));

        Map<String, Object> metrics = new LinkedHashMap<>(eval.toJson());
        if (biasJson != null) {
            metrics.put("model_uncorrected", uncorrected.toJson());
            metrics.put("skill_vs_persistence_uncorrected", Evaluation.skill(uncorrected.mae(), eval.persistence().mae()));
            metrics.put("bias_correction", biasJson);
        }
        metrics.put("best_epochs", java.util.Arrays.stream(result.bestEpoch()).boxed().toList());
        List<Double> bestVal = new ArrayList<>();
        for (int m = 0; m < result.bestEpoch().length; m++) bestVal.add(result.valLoss().get(m).get(result.bestEpoch()[m] - 1));
        metrics.put("best_validation_losses", bestVal);
        // This process's time plus the training time of the processes a resumed run continues.
        Duration resumedPart = trainer.resumedTrainingTime();
        metrics.put("train_seconds", Duration.between(start, Instant.now()).plus(resumedPart).toMillis() / 1000.0);
        Map<String, Object> config = new LinkedHashMap<>(Map.of("cell", cell, "hidden_size", hiddenSize, "layers", layers,
                "lookback", ds.spec().lookback(), "lr", lr, "seed", seed, "ensemble", ensemble, "predict", change ? "change" : forecaster.linearBase() != null ? "linear" : "value"));
        config.put("ema", ema);
        config.put("lr_schedule", schedule().flag());
        config.put("refit", refit);
        config.put("loss_steps", lossSteps);
        config.put("input_noise", inputNoise);
        config.put("log_inputs", logInputs);
        config.put("bias_correction", biasCorrection);
        metrics.put("config", config);
        metrics.put("preprocessing", ds.report().toJson());
        Json.writeFile(dir.resolve("metrics.json"), metrics);
        ForecastPlots.lossCurves(dir.resolve("loss.png"), result);
        ForecastPlots.forecast(dir.resolve("forecast.png"), ds, eval, predictions);
        return eval;
    }

    static List<Double> mean(List<List<Double>> curves) {
        List<Double> m = new ArrayList<>();
        int len = curves.stream().mapToInt(List::size).min().orElse(0);
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (List<Double> c : curves) s += c.get(i);
            m.add(s / curves.size());
        }
        return m;
    }
}
