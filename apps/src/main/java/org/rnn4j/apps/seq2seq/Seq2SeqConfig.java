package org.rnn4j.apps.seq2seq;

import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;

/**
 * Shape of an attentional encoder-decoder.
 *
 * @param cell          LSTM or GRU, for encoder and decoder
 * @param embeddingSize embedding dimension of source and target tokens
 * @param hiddenSize    H: the decoder's state size and the encoder's output size; each encoder direction
 *                      has H/2 units, so H must be even (this is what lets dot attention compare decoder
 *                      states with encoder outputs directly)
 * @param layers        stacked layers of the encoder and of the decoder
 * @param attention     the score function
 * @param dropout       dropout between stacked layers and on the attentional vector (0 = off)
 */
public record Seq2SeqConfig(CellKind cell, int embeddingSize, int hiddenSize, int layers, Attention.Score attention,
                            double dropout) {
    public Seq2SeqConfig {
        if (cell != CellKind.LSTM && cell != CellKind.GRU) throw new IllegalArgumentException("cell must be lstm or gru, got " + cell);
        if (embeddingSize <= 0) throw new IllegalArgumentException("embeddingSize must be > 0, got " + embeddingSize);
        if (hiddenSize <= 0 || hiddenSize % 2 != 0) {
            throw new IllegalArgumentException("hiddenSize must be even and > 0 (each encoder direction has half), got " + hiddenSize);
        }
        if (layers <= 0) throw new IllegalArgumentException("layers must be > 0, got " + layers);
        if (attention == null) throw new IllegalArgumentException("attention must be given");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
}
