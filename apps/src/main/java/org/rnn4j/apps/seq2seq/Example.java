package org.rnn4j.apps.seq2seq;

/**
 * One pair as token ids: {@code source} [S] and {@code target} [T] without BOS/EOS (the batcher adds
 * them); {@code line} is the 1-based line of the pair file, for messages.
 */
public record Example(int[] source, int[] target, int line) {}
