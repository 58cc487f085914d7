package org.rnn4j.nn;

/**
 * Shape of a stacked (optionally bidirectional) recurrent layer, as torch.nn.LSTM/GRU/RNN take it.
 *
 * @param dropout probability of zeroing an input of layers 1..L-1 during training (0 = off)
 */
public record RecurrentConfig(CellKind cell, int inputSize, int hiddenSize, int numLayers,
                              boolean bidirectional, boolean bias, double dropout) {
    public RecurrentConfig {
        if (cell == null) throw new IllegalArgumentException("cell must be given");
        if (inputSize <= 0) throw new IllegalArgumentException("inputSize must be > 0, got " + inputSize);
        if (hiddenSize <= 0) throw new IllegalArgumentException("hiddenSize must be > 0, got " + hiddenSize);
        if (numLayers <= 0) throw new IllegalArgumentException("numLayers must be > 0, got " + numLayers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }

    public static RecurrentConfig of(CellKind cell, int inputSize, int hiddenSize) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, 1, false, true, 0);
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features per time step of the output: hiddenSize × directions. */
    public int outputSize() {
        return hiddenSize * directions();
    }

    /** Input features of layer {@code layer}: the data's for layer 0, the layer below's output after. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : outputSize();
    }

    public RecurrentConfig withDropout(double p) {
        return new RecurrentConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, p);
    }
}
