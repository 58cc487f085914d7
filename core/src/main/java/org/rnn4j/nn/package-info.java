/**
 * Layers as explicit forward/backward pairs over whole sequences: recurrent layers (RNN, LSTM, GRU;
 * stacked, bidirectional, variable length), Linear, Embedding, and the flat parameter buffer they share.
 */
package org.rnn4j.nn;
