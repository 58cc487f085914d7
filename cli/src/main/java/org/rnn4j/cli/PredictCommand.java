package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Npy;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a model over sequences: X [batch, time, features] float32 → Y [batch, time, outputs].")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file (.safetensors)")
    Path modelPath;
    @Option(names = "--input", required = true, description = "X.npy, float32 [batch, time, features] (int [batch, time] token ids for embedding models)")
    Path input;
    @Option(names = "--output", required = true, description = "Y.npy to write: the head's output per step, or the top layer's hidden states")
    Path output;
    @Option(names = "--lengths", description = "optional int .npy [batch]: valid steps per sequence (later steps are padding)")
    Path lengthsPath;

    @Override
    public Integer call() throws Exception {
        SequenceModel model = ModelFile.load(modelPath);
        int batch, time;
        float[] y;
        if (model.config().hasEmbedding()) {
            int[] shape = Arrays3.shape(input);
            int[] tokens = Arrays3.ints(input, "input", 2, "[batch, time]");
            batch = shape[0];
            time = shape[1];
            ModelPass pass = model.newPass(batch, time);
            y = pass.forwardTokens(tokens, lengths(batch, time), null, null, false, null);
        } else {
            Tensor x = Arrays3.floats3(input, "input");
            int expected = model.config().rnn().inputSize();
            if (x.dim(2) != expected) {
                throw new UserException(input + ": input has " + x.dim(2) + " features per step, the model " + modelPath
                        + " expects " + expected + " (shape (batch, time, " + expected + "))");
            }
            batch = x.dim(0);
            time = x.dim(1);
            ModelPass pass = model.newPass(batch, time);
            y = pass.forward(x.data(), lengths(batch, time), null, null, false, null);
        }
        Npy.write(output, Tensor.of(y, batch, time, model.outputSize()));
        return 0;
    }

    private int[] lengths(int batch, int time) throws java.io.IOException {
        if (lengthsPath == null) return null;
        int[] l = Arrays3.ints(lengthsPath, "lengths", 1, "[batch]");
        if (l.length != batch) throw new UserException(lengthsPath + ": expected " + batch + " lengths (one per sequence), got " + l.length);
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 1 || l[i] > time) throw new UserException(lengthsPath + ": length " + l[i] + " at index " + i + " is outside [1, " + time + "]");
        }
        return l;
    }
}
