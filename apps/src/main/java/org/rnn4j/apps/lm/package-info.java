/**
 * Language modelling: predict the next character or word from the ones before, and generate text.
 *
 * <p>The pieces, in the order data flows through them:
 *
 * <ul>
 *   <li>{@link org.rnn4j.apps.lm.TextReader} streams a UTF-8 file as code points, rejecting binary and
 *       malformed input with a message naming the byte offset; {@link org.rnn4j.apps.lm.Tokenizer}
 *       turns code points into tokens (characters, or words, punctuation and line breaks).
 *   <li>{@link org.rnn4j.apps.lm.Corpus} holds the token ids of a whole text split into a training
 *       part and the last {@code valFraction} for validation, with the {@link
 *       org.rnn4j.apps.lm.Vocabulary} built from the training part only.
 *   <li>{@link org.rnn4j.apps.lm.TokenStreams} cuts a token range into B contiguous streams and hands
 *       out [B, T] batches that continue where the last stopped (stateful truncated BPTT).
 *   <li>{@link org.rnn4j.apps.lm.LmTrainer} trains a {@link org.rnn4j.apps.lm.LanguageModel} with the
 *       hidden state carried across batches, plateau LR decay, clipping and a best-validation checkpoint.
 *   <li>{@link org.rnn4j.apps.lm.LanguageModelSession} is the step-by-step inference object (feed a
 *       token, get the next-token logits), {@link org.rnn4j.apps.lm.Sampler} draws from them with
 *       temperature, top-k and top-p, and {@link org.rnn4j.apps.lm.LmEvaluator} measures loss on any text.
 * </ul>
 */
package org.rnn4j.apps.lm;
