package org.rnn4j.cli;

import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;

/** One-line descriptions of models for messages. */
final class Describe {
    private Describe() {}

    static String summary(SequenceModel m) {
        ModelConfig c = m.config();
        RecurrentConfig r = c.rnn();
        StringBuilder sb = new StringBuilder();
        sb.append(r.cell().cliName()).append(", ").append(r.numLayers()).append(r.numLayers() == 1 ? " layer" : " layers")
                .append(r.bidirectional() ? ", bidirectional" : "")
                .append(", input ").append(r.inputSize()).append(", hidden ").append(r.hiddenSize());
        if (c.hasEmbedding()) sb.append(", embedding ").append(c.vocabSize()).append("×").append(r.inputSize());
        sb.append(c.hasHead() ? ", head " + c.headSize() : ", no head");
        sb.append(", ").append(String.format("%,d", m.parameters().size())).append(" parameters");
        return sb.toString();
    }
}
