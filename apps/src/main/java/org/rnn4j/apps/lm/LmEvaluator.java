package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.train.CrossEntropyLoss;

/**
 * Loss of a language model on a text: every token after the first is scored as -ln p(token | all
 * tokens before it in its stream).
 *
 * <p>For speed the tokens are read as {@link #streamsFor(int)} contiguous streams in parallel (32 for
 * texts of 32K tokens or more, fewer for shorter texts so each stream has at least 1024 tokens, one
 * for texts under 2K tokens), each starting from a zero state and carrying it to its end; the last
 * (n - 1) mod streams tokens are not scored. Validation during training and {@code rnn4j lm eval} on the
 * same text give the same number. Tokens not in the vocabulary are counted; they are scored as {@code
 * <unk>} only if the model learned {@code <unk>} in training (see {@link EvalResult}). Files are read in blocks of {@value #BLOCK_TOKENS} tokens, so any
 * size streams through in constant memory (the state restarts at each block).
 *
 * <p>Holds buffers: one evaluator per thread.
 */
public final class LmEvaluator {
    public static final int MAX_STREAMS = 32;
    public static final int MIN_STREAM_LENGTH = 1024;
    public static final int BLOCK_TOKENS = 1 << 20;
    private static final int MAX_CHUNK = 64; // small passes stay in cache: faster than long ones
    private static final int LOGIT_BUDGET = 1 << 22; // floats of logits per forward (keeps word-level buffers small)

    private final LanguageModel lm;
    private final SequenceModel model;
    private final int vocab;
    private final boolean unkTrained;
    private final CrossEntropyLoss ce = new CrossEntropyLoss();
    private final Map<Long, ModelPass> passes = new HashMap<>();

    public LmEvaluator(LanguageModel lm) {
        this.lm = lm;
        this.model = lm.network();
        this.vocab = lm.vocabulary().size();
        this.unkTrained = lm.vocabulary().unkTrained();
    }

    /** Streams used for a text of {@code n} tokens: (n - 1) / 1024 clamped to [1, 32]. */
    public static int streamsFor(int n) {
        return Math.max(1, Math.min(MAX_STREAMS, (n - 1) / MIN_STREAM_LENGTH));
    }

    /** Loss over tokens [from, to) of {@code tokens} (ids of this model's vocabulary). */
    public EvalResult evaluate(int[] tokens, int from, int to) {
        int n = to - from;
        if (n < 2) return EvalResult.EMPTY;
        int b = streamsFor(n);
        TokenStreams streams = new TokenStreams(tokens, from, to, b);
        int chunk = Math.max(1, Math.min(MAX_CHUNK, LOGIT_BUDGET / (b * vocab)));
        RecurrentConfig rc = model.config().rnn();
        int state = rc.numLayers() * b * rc.hiddenSize();
        float[] h = new float[state];
        float[] c = rc.cell() == CellKind.LSTM ? new float[state] : null;
        int[] x = new int[b * chunk], y = new int[b * chunk];
        double sum = 0;
        long count = 0, unknown = 0;
        for (int k = 0; k < streams.batches(chunk); k++) {
            int t = streams.batchLength(k, chunk);
            int[] xs = t == chunk ? x : new int[b * t];
            int[] ys = t == chunk ? y : new int[b * t];
            streams.fill(k, chunk, xs, ys);
            ModelPass pass = passes.computeIfAbsent(((long) b << 32) | t, key -> model.newPass(b, t));
            float[] out = pass.forwardTokens(xs, null, h, c, false, null);
            System.arraycopy(pass.hn(), 0, h, 0, state);
            if (c != null) System.arraycopy(pass.cn(), 0, c, 0, state);
            int unk = 0;
            for (int i = 0; i < ys.length; i++) {
                if (ys[i] != Vocabulary.UNK_ID) continue;
                unk++;
                if (!unkTrained) ys[i] = CrossEntropyLoss.DEFAULT_IGNORE_INDEX;
            }
            sum += ce.sumLossAndGrad(out, 0, b * t, vocab, ys, 0, null, 0, 1);
            count += (long) b * t - (unkTrained ? 0 : unk);
            unknown += unk;
        }
        return new EvalResult(sum, count, unknown);
    }

    /**
     * Loss on a UTF-8 text file of any size, tokenized with the model's vocabulary; words or
     * characters it does not know are scored as {@code <unk>} and counted.
     *
     * @throws IOException for a missing, binary or non-UTF-8 file (the message names the byte offset)
     */
    public EvalResult evaluateFile(Path file) throws IOException {
        return evaluateFile(file, BLOCK_TOKENS);
    }

    /** As {@link #evaluateFile(Path)} with blocks of {@code blockTokens} scored tokens (tests use small ones). */
    EvalResult evaluateFile(Path file, int blockTokens) throws IOException {
        Vocabulary v = lm.vocabulary();
        int[] block = new int[blockTokens + 1];
        int[] len = {0};
        EvalResult[] total = {EvalResult.EMPTY};
        java.util.function.IntConsumer add = id -> {
            block[len[0]++] = id;
            if (len[0] == block.length) {
                total[0] = total[0].plus(evaluate(block, 0, len[0]));
                block[0] = block[len[0] - 1]; // the next block's first input: no token goes unscored
                len[0] = 1;
            }
        };
        if (v.level() == Level.CHAR) {
            TextReader.read(file, cp -> add.accept(v.idOfCodePoint(cp)));
        } else {
            Tokenizer.WordSplitter splitter = new Tokenizer.WordSplitter(w -> add.accept(v.id(w)));
            TextReader.read(file, splitter::accept);
            splitter.finish();
        }
        if (len[0] >= 2) total[0] = total[0].plus(evaluate(block, 0, len[0]));
        return total[0];
    }
}
