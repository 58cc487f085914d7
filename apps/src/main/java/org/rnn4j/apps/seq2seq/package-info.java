/**
 * Sequence to sequence with attention: an embedding and stacked bidirectional LSTM/GRU encoder, global
 * attention (Luong dot/general, Bahdanau additive), a stacked LSTM/GRU decoder with input feeding and a
 * softmax over the target vocabulary; teacher-forced training on bucketed, masked batches; greedy and
 * length-normalised beam-search decoding; token/sequence error rates and corpus BLEU.
 *
 * <p>Entry points: {@link org.rnn4j.apps.seq2seq.PairFile} (reading TSV pairs),
 * {@link org.rnn4j.apps.seq2seq.Seq2SeqTrainer} (training with early stopping),
 * {@link org.rnn4j.apps.seq2seq.Translator} (decoding), {@link org.rnn4j.apps.seq2seq.Evaluation}
 * (metrics), {@link org.rnn4j.apps.seq2seq.Seq2SeqModel#save}/{@code load} (model files).
 */
package org.rnn4j.apps.seq2seq;
