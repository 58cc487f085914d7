package org.rnn4j.nn;

/**
 * The buffers and offsets of one time step, filled in by the {@link Recurrent} runner and read by a
 * {@link Cell}. One instance per workspace is reused for every step, so the time loop allocates nothing.
 *
 * <p>Legend: B batch, H hidden, G gates (GH = G*H). Row b of a [B, X] block starts at off + b*X.
 */
final class Step {
    int batch;        // B
    int hidden;       // H
    boolean[] active; // [B] row b takes part in this step (t < length[b])

    float[] gx;       // [B, GH] at gxOff: input projection + b_ih; cells store activations here
    int gxOff;
    float[] ghh;      // [B, GH] at 0: recurrent projection + b_hh
    float[] hs;       // states; hPrev/hCur are offsets of [B, H] blocks
    int hPrev;
    int hCur;
    float[] cs;       // LSTM cell states, same offsets as hs
    float[] aux;      // GRU: W_hn h + b_hn per step, [B, H] at auxOff
    int auxOff;

    float[] dOut;     // gradient of the layer output; row b at dOutOff + b*dOutStride, H values
    int dOutOff;
    int dOutStride;
    float[] dh;       // [B, H] carried gradient of the hidden state
    float[] dc;       // [B, H] carried gradient of the LSTM cell state
    float[] dG;       // [B, GH] at dGOff: gradient of the input-side pre-activations
    float[] dGh;      // [B, GH] at dGOff: gradient of the recurrent-side pre-activations (== dG except GRU)
    int dGOff;
}
