/**
 * The {@code rnn4j seq2seq} commands (train, translate, eval, and the data helpers cmudict and split)
 * and the top-level {@code rnn4j g2p}; attention heat maps.
 */
package org.rnn4j.cli.seq2seq;
