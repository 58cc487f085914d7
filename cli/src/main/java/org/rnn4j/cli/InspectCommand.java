package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model file: kind, sizes, parameter count, tensors and metadata.")
final class InspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "MODEL", description = "model file (.safetensors)")
    Path modelPath;

    @Override
    public Integer call() throws Exception {
        SequenceModel model = ModelFile.load(modelPath);
        var c = model.config();
        var r = c.rnn();
        System.out.println(modelPath);
        System.out.printf("  kind           %s%n", r.cell().cliName());
        System.out.printf("  input size     %d%n", r.inputSize());
        System.out.printf("  hidden size    %d%n", r.hiddenSize());
        System.out.printf("  layers         %d%n", r.numLayers());
        System.out.printf("  directions     %d%s%n", r.directions(), r.bidirectional() ? " (bidirectional)" : "");
        System.out.printf("  bias           %s%n", r.bias());
        System.out.printf("  embedding      %s%n", c.hasEmbedding() ? c.vocabSize() + " tokens × " + r.inputSize() : "none");
        System.out.printf("  head           %s%n", c.hasHead() ? c.headSize() + " outputs per step" : "none (outputs are hidden states, " + r.outputSize() + " per step)");
        System.out.printf("  parameters     %,d%n", model.parameters().size());
        System.out.println("  tensors");
        for (Parameters.Param q : model.parameters().list()) {
            System.out.printf("    %-28s %s%n", q.name(), Tensor.shapeString(q.shape()));
        }
        if (!model.metadata().isEmpty()) {
            System.out.println("  metadata");
            for (Map.Entry<String, String> e : model.metadata().entrySet()) {
                String v = e.getValue();
                if (v.length() > 300) v = v.substring(0, 300) + "… (" + v.length() + " characters)";
                System.out.printf("    %s = %s%n", e.getKey(), v);
            }
        }
        return 0;
    }
}
