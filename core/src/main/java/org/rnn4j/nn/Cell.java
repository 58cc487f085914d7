package org.rnn4j.nn;

/**
 * The pointwise part of one recurrent step over a batch; the GEMMs and the time loop live in
 * {@link Recurrent}. Cells touch only rows with {@code step.active[b]}; the runner handles the rest.
 */
interface Cell {
    /** From pre-activations gx (+ ghh) and the previous state, writes the new state at hCur (and cCur). */
    void forward(Step step);

    /**
     * From dh (carried) + dOut and the cached activations, writes dG/dGh rows, the new carried dc, and
     * the part of dh_prev that does not go through W_hh (the runner adds dGh · W_hh afterwards).
     */
    void backward(Step step);

    static Cell of(CellKind kind) {
        return switch (kind) {
            case LSTM -> new LstmCell();
            case GRU -> new GruCell();
            case RNN_TANH -> new RnnCell(false);
            case RNN_RELU -> new RnnCell(true);
        };
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }
}
