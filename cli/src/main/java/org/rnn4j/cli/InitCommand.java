package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a new randomly initialised model file.")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--cell", required = true, description = "lstm, gru, rnn-tanh or rnn-relu")
    String cell;
    @Option(names = "--input-size", required = true, description = "features per time step (I)")
    int inputSize;
    @Option(names = "--hidden-size", required = true, description = "hidden units per direction (H)")
    int hiddenSize;
    @Option(names = "--layers", defaultValue = "1", description = "stacked layers (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--bidirectional", description = "run each layer forwards and backwards")
    boolean bidirectional;
    @Option(names = "--output-size", defaultValue = "0", description = "outputs of a linear head per step; 0 = no head")
    int outputSize;
    @Option(names = "--dropout", defaultValue = "0", description = "dropout between layers when training (default: ${DEFAULT-VALUE})")
    double dropout;
    @Option(names = "--init", defaultValue = "pytorch", description = "pytorch (U(±1/sqrt(H))), xavier or orthogonal (forget bias 1)")
    String init;
    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", required = true, description = "model file to write (.safetensors)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (outputSize < 0) throw new UserException("--output-size must be >= 0, got " + outputSize);
        RecurrentConfig rc = new RecurrentConfig(CellKind.parse(cell), inputSize, hiddenSize, layers, bidirectional, true, dropout);
        SequenceModel model = SequenceModel.create(new ModelConfig(rc, outputSize, 0), Init.parse(init), seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("init", init);
        settings.put("seed", seed);
        Provenance.record(model, "init", settings);
        ModelFile.save(out, model);
        System.out.println("wrote " + out + ": " + Describe.summary(model));
        return 0;
    }
}
