package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.train.FitConfig;
import org.rnn4j.train.FitLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Train a model on X [batch, time, features] and targets Y, and write the trained model.",
                "Checkpoints go to <out>.checkpoints/ (every 10 minutes, and on Ctrl-C); an interrupted run continues,"
                        + " bit for bit, with the same command plus --resume <out>.checkpoints. A non-finite loss or gradient"
                        + " skips that step and halves the learning rate; 5 in a row stop the run."})
final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CheckpointFlags checkpoints;

    @Option(names = "--model", required = true, description = "model file to start from (.safetensors)")
    Path modelPath;
    @Option(names = "--input", required = true, description = "X.npy, float32 [batch, time, features]")
    Path input;
    @Option(names = "--target", required = true, description = "Y.npy: float32 [batch, time, outputs] for mse; int [batch, time] class ids for cross-entropy (-100 = ignore)")
    Path target;
    @Option(names = "--out", required = true, description = "trained model file to write")
    Path out;
    @Option(names = "--loss", defaultValue = "mse", description = "mse or cross-entropy (default: ${DEFAULT-VALUE})")
    String loss;
    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam, adamw, rmsprop or adagrad (default: ${DEFAULT-VALUE})")
    String optimizer;
    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--momentum", defaultValue = "0", description = "momentum for sgd and rmsprop (default: ${DEFAULT-VALUE})")
    double momentum;
    @Option(names = "--weight-decay", description = "weight decay (default: 0.01 for adamw as in PyTorch, 0 otherwise)")
    Double weightDecay;
    @Option(names = "--epochs", defaultValue = "10", description = "passes over the data (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "32", description = "sequences per optimizer step (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--clip-norm", defaultValue = "0", description = "clip the global gradient norm to this; 0 = off")
    double clipNorm;
    @Option(names = "--clip-value", defaultValue = "0", description = "clip each gradient element to ±this; 0 = off")
    double clipValue;
    @Option(names = "--seed", defaultValue = "0", description = "seed for shuffling and dropout (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--no-shuffle", description = "take batches in file order (one epoch with batch size = all rows is one full-batch step)")
    boolean noShuffle;
    @Option(names = "--quiet", description = "print nothing but errors")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        double decay = weightDecay != null ? weightDecay : "adamw".equals(optimizer) ? 0.01 : 0;
        FitConfig cfg = new FitConfig(loss, optimizer, lr, momentum, decay, epochs, batchSize, clipNorm, clipValue, seed, !noShuffle);
        SequenceModel model = ModelFile.load(modelPath);
        if (model.config().hasEmbedding()) throw new UserException(modelPath + ": fit on token models is done by `rnn4j lm train`");
        Tensor x = Arrays3.floats3(input, "input");
        int rows = x.dim(0), time = x.dim(1);
        int expectedIn = model.config().rnn().inputSize(), outSize = model.outputSize();
        if (x.dim(2) != expectedIn) {
            throw new UserException(input + ": input has " + x.dim(2) + " features per step, the model " + modelPath + " expects " + expectedIn);
        }
        FitLoop.Data data;
        if (cfg.crossEntropy()) {
            int[] shape = Arrays3.shape(target);
            int[] classes = Arrays3.ints(target, "target", 2, "[batch, time]");
            if (shape[0] != rows || shape[1] != time) {
                throw new UserException(target + ": target shape " + Tensor.shapeString(shape) + " does not match the input: expected ("
                        + rows + ", " + time + ") class ids");
            }
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] != -100 && (classes[i] < 0 || classes[i] >= outSize)) {
                    throw new UserException(target + ": class id " + classes[i] + " at flat index " + i + " is outside [0, " + outSize
                            + ") (the model has " + outSize + " outputs; -100 means ignore)");
                }
            }
            data = new FitLoop.Data(x.data(), rows, time, x.dim(2), null, classes, null);
        } else {
            Tensor y = Arrays3.floats3(target, "target");
            if (!y.sameShape(rows, time, outSize)) {
                throw new UserException(target + ": target shape " + Tensor.shapeString(y.shape()) + ", expected ("
                        + rows + ", " + time + ", " + outSize + ") = (input rows, input time, model outputs)");
            }
            data = new FitLoop.Data(x.data(), rows, time, x.dim(2), y.data(), null, null);
        }
        PrintWriter err = spec.commandLine().getErr();
        // --epochs may change on resume: training longer continues the same trajectory.
        Map<String, String> fingerprint = CheckpointFlags.fingerprint(spec, Set.of("--epochs", "--out"),
                Map.of("data (sha256)", CheckpointFlags.sha256(x.data(), null) + "/"
                        + CheckpointFlags.sha256(data.floatTargets(), data.classTargets())));
        FitLoop loop = new FitLoop(model, data, cfg).listener(new FitLoop.Listener() {
            @Override
            public void epochDone(int epoch, double mean, long steps) {
                if (!quiet) System.out.printf("epoch %d/%d  loss %.6g  steps %d%n", epoch, epochs, mean, steps);
            }

            @Override
            public void note(String line) {
                err.println(line);
                err.flush();
            }
        });
        int code = ResumableTraining.run(spec, checkpoints, Path.of(out + ".checkpoints"), fingerprint, loop,
                () -> saveResult(model, cfg));
        if (code != 0) return code;
        if (!quiet) System.out.println("wrote " + out);
        return 0;
    }

    private void saveResult(SequenceModel model, FitConfig cfg) throws java.io.IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("from", modelPath.toString());
        settings.put("input", input.toString());
        settings.put("target", target.toString());
        settings.put("fit", cfg.toString());
        Provenance.record(model, "fit", settings);
        ModelFile.save(out, model);
    }
}
