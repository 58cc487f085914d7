package org.rnn4j.apps.seq2seq;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Initializers;
import org.rnn4j.tensor.Rng;

/** Tiny models and batches for gradient and masking tests. */
final class Tiny {
    private Tiny() {}

    static Vocabulary vocab(int tokens) {
        List<String> t = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS));
        for (int i = 0; i < tokens; i++) t.add(Character.toString('a' + i));
        return new Vocabulary(t);
    }

    /** Weights U(±scale): larger than the training init so that every nonlinearity is exercised. */
    static Seq2SeqModel model(CellKind cell, Attention.Score score, int layers, double dropout, int emb, int hidden, long seed, float scale) {
        Seq2SeqModel m = new Seq2SeqModel(new Seq2SeqConfig(cell, emb, hidden, layers, score, dropout), vocab(5), vocab(4),
                Tokenization.CHARS, Tokenization.CHARS);
        Initializers.uniform(m.parameters().values(), 0, m.parameters().size(), scale, new Rng(seed));
        return m;
    }

    /** Three pairs of different source and target lengths (so padding is everywhere). */
    static Batch batch() {
        return Batch.of(List.of(
                new Example(new int[] {4, 5, 6, 7}, new int[] {4, 5}, 1),
                new Example(new int[] {8}, new int[] {6, 7, 4}, 2),
                new Example(new int[] {5, 4}, new int[] {7}, 3)));
    }
}
