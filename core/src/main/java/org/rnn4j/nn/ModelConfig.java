package org.rnn4j.nn;

/**
 * A sequence model: optional token embedding → recurrent stack → optional per-step linear head.
 *
 * @param rnn        the recurrent stack; with an embedding its inputSize is the embedding size
 * @param headSize   outputs of the linear head per step, or 0 for no head (outputs are hidden states)
 * @param vocabSize  tokens of the embedding, or 0 when inputs are feature vectors
 */
public record ModelConfig(RecurrentConfig rnn, int headSize, int vocabSize) {
    public ModelConfig {
        if (rnn == null) throw new IllegalArgumentException("rnn config must be given");
        if (headSize < 0) throw new IllegalArgumentException("headSize must be >= 0, got " + headSize);
        if (vocabSize < 0) throw new IllegalArgumentException("vocabSize must be >= 0, got " + vocabSize);
    }

    public boolean hasHead() {
        return headSize > 0;
    }

    public boolean hasEmbedding() {
        return vocabSize > 0;
    }

    /** Features per step of the model output. */
    public int outputSize() {
        return hasHead() ? headSize : rnn.outputSize();
    }
}
