package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.apps.gradlab.GradlabTask;
import org.rnn4j.apps.gradlab.LabConfig;
import org.rnn4j.apps.gradlab.LabExperiment;
import org.rnn4j.apps.gradlab.LabReport;
import org.rnn4j.apps.gradlab.LabTrainer;
import org.rnn4j.apps.gradlab.RunResult;
import org.rnn4j.apps.gradlab.RunSpec;
import org.rnn4j.apps.gradlab.TaskBatch;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.SequenceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j gradlab}: trains RNN, LSTM and GRU side by side on a long-range task and shows where
 * the gradient vanishes; {@code --explode} shows a tanh RNN whose gradient explodes, and clipping
 * curing it.
 */
@Command(name = "gradlab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The gradient lab: train rnn-tanh, lstm and gru on the same long-range task under the same budget,"
                + " measure how far back the gradient reaches (||dL/dh_t||), and write OUT/report.json,"
                + " OUT/gradient-flow.png and OUT/training.png.",
                "--explode: a tanh RNN with recurrent spectral radius > 1 trained without clipping (diverges; the step is"
                        + " reported) and with clipping by norm and by value (trains).",
                "Checkpoints go to OUT/checkpoints/ (every 10 minutes, and on Ctrl-C); an interrupted experiment continues,"
                        + " bit for bit with --steps, with the same command plus --resume OUT/checkpoints. Outside --explode a"
                        + " non-finite loss or gradient skips that step and halves the learning rate; 5 in a row stop that cell."})
final class GradlabCommand implements Callable<Integer> {
    /** The default checkpoint folder inside the run folder. */
    static final String CHECKPOINTS = "checkpoints";

    @Spec
    CommandSpec spec;
    @Mixin
    CheckpointFlags checkpoints;

    @Option(names = "--task", defaultValue = "adding", description = "adding or copy (default: ${DEFAULT-VALUE})")
    String task;
    @Option(names = "--length", defaultValue = "100", description = "T: the time lag to bridge (default: ${DEFAULT-VALUE})")
    int length;
    @Option(names = "--cells", split = ",", description = "cells to compare, e.g. rnn-tanh,lstm,gru (default: all three;"
            + " with --explode: rnn-tanh)")
    List<String> cells;
    @Option(names = "--clip-norm", description = "clip the global gradient norm to F before each step; 0 = off"
            + " (default: 0; with --explode: 1 for the clip-norm run)")
    Double clipNorm;
    @Option(names = "--clip-value", description = "with --explode: clamp each gradient element to ±F in the clip-value run"
            + " (default: 0.1); without: clip every run by value")
    Double clipValue;
    @Option(names = "--steps", description = "optimizer steps per cell (default: 2000 unless --time-budget is given)")
    Long steps;
    @Option(names = "--time-budget", description = "wall-clock training time per cell, e.g. 90s, 10m, 1h30m, PT5M")
    String timeBudget;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the data, the test set and the weights (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", description = "run folder (default: rnn4j-out/gradlab-<timestamp>/); must not exist or be empty")
    Path out;
    @Option(names = "--explode", description = "the exploding-gradient demonstration")
    boolean explode;
    @Option(names = "--radius", defaultValue = "2", description = "--explode: spectral radius of the recurrent weights;"
            + " 0 = the initialiser's own, the control (default: ${DEFAULT-VALUE})")
    double radius;
    @Option(names = "--hidden", defaultValue = "64", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", description = "stacked layers; the gradient flow is the top layer's (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--batch", defaultValue = "32", description = "sequences per step (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--optimizer", description = "adam, sgd, rmsprop, adamw, adagrad (default: adam; with --explode: sgd)")
    String optimizer;
    @Option(names = "--lr", description = "learning rate (default: 0.001 for adam, 0.05 for sgd)")
    Double lr;
    @Option(names = "--init", defaultValue = "pytorch", description = "pytorch, xavier or orthogonal (default: ${DEFAULT-VALUE})")
    String init;
    @Option(names = "--forget-bias", description = "initial bias of the LSTM forget gate and the GRU update gate"
            + " (the gates that keep the state); default: the initialiser's")
    Double forgetBias;
    @Option(names = "--eval-every", defaultValue = "100", description = "steps between test evaluations (default: ${DEFAULT-VALUE})")
    int evalEvery;
    @Option(names = "--test-size", defaultValue = "1024", description = "test sequences (default: ${DEFAULT-VALUE})")
    int testSize;
    @Option(names = "--stop-at", defaultValue = "0", description = "stop a cell once its test loss is below this; 0 = never (default: ${DEFAULT-VALUE})")
    double stopAt;
    @Option(names = "--quiet", description = "print nothing but errors")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        GradlabTask t;
        try {
            t = GradlabTask.of(task, length);
        } catch (IllegalArgumentException e) {
            throw new UserException("--task/--length: " + e.getMessage());
        }
        Duration budget = timeBudget == null ? null : parseDuration(timeBudget);
        long maxSteps = steps != null ? steps : budget == null ? 2000 : 0;
        if (maxSteps < 0) throw new UserException("--steps must be >= 0, got " + maxSteps);
        String opt = optimizer != null ? optimizer : explode ? "sgd" : "adam";
        double rate = lr != null ? lr : opt.equalsIgnoreCase("sgd") ? 0.05 : 0.001;
        Init in;
        try {
            in = Init.parse(init);
        } catch (IllegalArgumentException e) {
            throw new UserException("--init: " + e.getMessage());
        }
        LabConfig config = new LabConfig(t, hidden, layers, batch, opt, rate, maxSteps, budget, evalEvery, testSize, in, stopAt, seed,
                forgetBias == null ? Double.NaN : forgetBias);
        List<RunSpec> specs = specs();
        Path dir = outFolder();
        checkpoints.options(dir.resolve(CHECKPOINTS)); // a bad checkpoint flag is refused before any folder is made
        Files.createDirectories(dir);

        // The data is drawn from --seed (fingerprinted); its hash also catches a generator that changed between versions.
        List<float[]> xs = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (TaskBatch b : LabTrainer.testSet(config)) {
            xs.add(b.x);
            xs.add(b.sums == null ? new float[0] : b.sums);
            ids.add(b.labels == null ? new int[0] : b.labels);
        }
        // --out may change on resume (the folder was moved); a different step or time budget may not: the
        // finished cells would not be comparable with the rest.
        Map<String, String> fingerprint = CheckpointFlags.fingerprint(spec, Set.of("--out"),
                Map.of("test set (sha256)", CheckpointFlags.sha256(concat(xs), concatInts(ids))));
        PrintWriter err = spec.commandLine().getErr();
        Bars bars = new Bars(config, err);
        LabExperiment experiment = new LabExperiment(config, specs, !explode, bars);
        int code;
        try {
            code = ResumableTraining.run(spec, checkpoints, dir.resolve(CHECKPOINTS), fingerprint, experiment,
                    () -> writeOutputs(dir, config, t, specs, experiment.results()));
        } finally {
            bars.close();
        }
        if (code != 0) return code;
        if (!quiet) {
            System.out.print(table(t, experiment.results()));
            System.out.println("wrote " + dir.resolve("report.json") + ", gradient-flow.png, training.png"
                    + (explode ? ", grad-norm.png" : ""));
        }
        return 0;
    }

    private void writeOutputs(Path dir, LabConfig config, GradlabTask t, List<RunSpec> specs, List<RunResult> results) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("command", commandLine(config, specs));
        settings.put("rnn4j_version", Version.get());
        settings.put("java", Runtime.version().toString());
        Json.writeFile(dir.resolve("report.json"), LabReport.build(explode ? "explode" : "compare", config, results, settings));
        GradlabPlots.gradientFlow(dir.resolve("gradient-flow.png"), t, results);
        GradlabPlots.training(dir.resolve("training.png"), t, results);
        if (explode) GradlabPlots.gradNorms(dir.resolve("grad-norm.png"), t, results);
    }

    private List<RunSpec> specs() {
        List<String> names = cells == null || cells.isEmpty()
                ? (explode ? List.of("rnn-tanh") : List.of("rnn-tanh", "lstm", "gru")) : cells;
        List<RunSpec> specs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            CellKind cell;
            try {
                cell = CellKind.parse(n.trim());
            } catch (IllegalArgumentException e) {
                throw new UserException("--cells: " + e.getMessage());
            }
            if (!seen.add(cell.cliName())) throw new UserException("--cells: " + cell.cliName() + " is listed twice");
            if (explode) {
                double cn = clipNorm != null ? clipNorm : 1.0, cv = clipValue != null ? clipValue : 0.1;
                if (!(cn > 0)) throw new UserException("--clip-norm must be > 0 with --explode, got " + cn);
                if (!(cv > 0)) throw new UserException("--clip-value must be > 0 with --explode, got " + cv);
                if (!(radius >= 0)) throw new UserException("--radius must be >= 0 (0 = the initialiser's weights), got " + radius);
                specs.add(new RunSpec(cell.cliName(), cell, 0, 0, radius));
                specs.add(new RunSpec(cell.cliName() + "+clip-norm", cell, cn, 0, radius));
                specs.add(new RunSpec(cell.cliName() + "+clip-value", cell, 0, cv, radius));
            } else {
                double cn = clipNorm != null ? clipNorm : 0, cv = clipValue != null ? clipValue : 0;
                if (cn < 0) throw new UserException("--clip-norm must be >= 0, got " + cn);
                if (cv < 0) throw new UserException("--clip-value must be >= 0, got " + cv);
                specs.add(new RunSpec(cell.cliName(), cell, cn, cv, 0));
            }
        }
        return specs;
    }

    /**
     * One progress bar per run, opened when the run starts (or continues after a resume) and closed when
     * it ends or the command stops; the divergence guard's lines go to stderr.
     */
    private final class Bars implements LabExperiment.Listener {
        private final LabConfig config;
        private final PrintWriter err;
        private final boolean byTime;
        private final boolean console = System.console() != null;
        private Progress bar;
        private String name;
        private double test = Double.NaN;

        Bars(LabConfig config, PrintWriter err) {
            this.config = config;
            this.err = err;
            this.byTime = config.maxSteps() == 0;
        }

        @Override
        public void onRunStart(RunSpec spec, long stepsDone) {
            close();
            name = spec.name();
            test = Double.NaN;
            long total = byTime ? config.timeBudget().toSeconds() : config.maxSteps();
            bar = Progress.start(spec.name(), total, byTime ? "s" : "steps", !quiet);
            if (stepsDone > 0 && !byTime) bar.stepTo(stepsDone, "resumed");
        }

        @Override
        public void onStep(long step, double loss, double gradNorm, double elapsed) {
            if (bar != null) {
                bar.stepTo(byTime ? (long) elapsed : step, String.format(Locale.ROOT, "loss %.4g |g| %.3g test %.4g", loss, gradNorm, test));
            }
        }

        @Override
        public void onEval(long step, double testLoss) {
            test = testLoss;
            if (!quiet && !console) {
                System.out.printf(Locale.ROOT, "%s step %d test %s %.6g%n", name, step, config.task().lossName(), testLoss);
            }
        }

        @Override
        public void onRunEnd(RunResult r, SequenceModel model) {
            close();
            if (!quiet && r.diverged()) {
                System.out.printf(Locale.ROOT, "%s diverged at step %d: %s%n", r.spec().name(), r.divergedAtStep(), r.divergedReason());
            }
        }

        @Override
        public void note(String line) {
            err.println(line);
            err.flush();
        }

        void close() {
            if (bar != null) bar.close();
            bar = null;
        }
    }

    /**
     * The run folder, not yet created. A folder that holds another run is refused; one that holds only the
     * checkpoints of an interrupted run is accepted when resuming (and otherwise refused by the checkpoint
     * machinery with a message saying how to resume). Without --out, resuming from OUT/checkpoints writes
     * into OUT.
     */
    private Path outFolder() throws IOException {
        boolean resuming = checkpoints.resume != null;
        if (resuming && !Files.isDirectory(checkpoints.resume)) {
            throw new UserException("--resume " + checkpoints.resume + ": no such folder, so no checkpoint to continue from");
        }
        Path dir = out;
        if (dir == null && resuming) {
            Path r = checkpoints.resume.toAbsolutePath().normalize();
            if (r.getFileName() != null && r.getFileName().toString().equals(CHECKPOINTS) && r.getParent() != null) dir = r.getParent();
        }
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path base = Path.of("rnn4j-out", "gradlab-" + stamp);
            dir = base;
            for (int i = 2; Files.exists(dir); i++) dir = Path.of(base + "-" + i);
        } else if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new UserException("--out " + dir + " exists and is not a folder");
            try (var list = Files.list(dir)) {
                boolean other = list.anyMatch(p -> !p.getFileName().toString().equals(CHECKPOINTS));
                if (other && !resuming) {
                    throw new UserException("--out " + dir + " already holds a run; choose another folder or remove it");
                }
            }
        }
        return dir;
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static int[] concatInts(List<int[]> parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] all = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private String commandLine(LabConfig c, List<RunSpec> specs) {
        StringBuilder sb = new StringBuilder("rnn4j gradlab");
        if (explode) sb.append(" --explode --radius ").append(radius);
        sb.append(" --task ").append(c.task().name()).append(" --length ").append(c.task().length()).append(" --cells ");
        List<String> cs = new ArrayList<>();
        for (RunSpec s : specs) if (!cs.contains(s.cell().cliName())) cs.add(s.cell().cliName());
        sb.append(String.join(",", cs));
        if (clipNorm != null) sb.append(" --clip-norm ").append(clipNorm);
        if (clipValue != null) sb.append(" --clip-value ").append(clipValue);
        if (c.maxSteps() > 0) sb.append(" --steps ").append(c.maxSteps());
        if (timeBudget != null) sb.append(" --time-budget ").append(timeBudget);
        sb.append(" --seed ").append(c.seed()).append(" --hidden ").append(c.hidden()).append(" --layers ").append(c.layers())
                .append(" --batch ").append(c.batch()).append(" --optimizer ").append(c.optimizer()).append(" --lr ").append(c.lr())
                .append(" --init ").append(init).append(" --eval-every ").append(c.evalEvery()).append(" --test-size ")
                .append(c.testSize());
        if (c.stopAt() > 0) sb.append(" --stop-at ").append(c.stopAt());
        if (forgetBias != null) sb.append(" --forget-bias ").append(forgetBias);
        return sb.toString();
    }

    /** The printed summary: one row per run. */
    static String table(GradlabTask t, List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, T = %d: baseline %s %.4f (on the test set %.4f); beat = test loss < %.0f%% of it%n",
                t.name(), t.length(), t.lossName(), t.baseline(), results.isEmpty() ? Double.NaN : results.get(0).baselineTest(),
                LabTrainer.BEAT_FRACTION * 100));
        sb.append(String.format(Locale.ROOT, "%-22s %8s %9s %11s %5s %13s %13s  %s%n", "run", "steps", "time", "test loss", "beat",
                "reach init", "reach final", "note"));
        for (RunResult r : results) {
            String note = r.diverged() ? "diverged at step " + r.divergedAtStep() + ": " + r.divergedReason() : "";
            sb.append(String.format(Locale.ROOT, "%-22s %8d %9s %11s %5s %13s %13s  %s%n", r.spec().name(), r.steps(),
                    Progress.format(Duration.ofMillis((long) (r.seconds() * 1000))), fmt(r.testLoss()), r.beatBaseline() ? "yes" : "no",
                    fmt(r.flowInit().reach()), fmt(r.flowFinal().reach()), note));
        }
        sb.append("reach = ||dL/dh_0|| / ||dL/dh_T-1||, loss at the last step: the share of the gradient that reaches the first step\n");
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : String.valueOf(v);
    }

    private static final Pattern SIMPLE = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?");

    /** "90s", "10m", "1h30m", "2m30s", or ISO-8601 ("PT5M"). */
    static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d = null;
        if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                d = null;
            }
        } else {
            Matcher m = SIMPLE.matcher(s);
            if (!s.isEmpty() && m.matches()) {
                double seconds = 0;
                if (m.group(1) != null) seconds += 3600 * Double.parseDouble(m.group(1));
                if (m.group(2) != null) seconds += 60 * Double.parseDouble(m.group(2));
                if (m.group(3) != null) seconds += Double.parseDouble(m.group(3));
                d = Duration.ofMillis(Math.round(seconds * 1000));
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new UserException("--time-budget: expected a positive duration such as 90s, 10m, 1h30m or PT5M, got '" + text + "'");
        }
        return d;
    }
}
