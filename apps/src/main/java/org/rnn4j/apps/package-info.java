/**
 * The applications rnn4j ships, one package each: {@code forecast} (time series), {@code lm}
 * (language modelling), {@code seq2seq} (translation with attention), {@code gradlab} (vanishing and
 * exploding gradients). Library code: the CLI module turns them into commands.
 */
package org.rnn4j.apps;
