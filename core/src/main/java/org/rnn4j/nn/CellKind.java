package org.rnn4j.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The recurrent cell types, with PyTorch's gate counts: LSTM (i, f, g, o), GRU (r, z, n), simple RNN. */
public enum CellKind {
    LSTM("lstm", 4),
    GRU("gru", 3),
    RNN_TANH("rnn-tanh", 1),
    RNN_RELU("rnn-relu", 1);

    private final String cliName;
    private final int gates;

    CellKind(String cliName, int gates) {
        this.cliName = cliName;
        this.gates = gates;
    }

    /** The name used on the command line and in model metadata. */
    public String cliName() {
        return cliName;
    }

    /** Number of stacked gate blocks in weight_ih / weight_hh (G in G*H). */
    public int gates() {
        return gates;
    }

    public static CellKind parse(String name) {
        for (CellKind k : values()) {
            if (k.cliName.equals(name)) return k;
        }
        if ("rnn".equals(name)) return RNN_TANH;
        throw new IllegalArgumentException("unknown cell '" + name + "'; expected one of "
                + Arrays.stream(values()).map(CellKind::cliName).collect(Collectors.joining(", ")));
    }
}
