package org.rnn4j.apps.lm;

import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.ModelPass;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.tensor.Rng;

/**
 * Step-by-step inference with a {@link LanguageModel}: feed a token, get the logits of the next one.
 * The recurrent state lives here, so generating N tokens costs N steps, never a re-run of the prefix.
 *
 * <p>Threads: a session is for one caller at a time; make one per thread or per conversation. Any
 * number of sessions can run in parallel on one model, because they only read its weights (each has a
 * {@link ModelPass} of batch 1 and time 1 of its own).
 *
 * <pre>{@code
 * LanguageModelSession s = lm.newSession();
 * s.feed("ROMEO:");
 * Sampler sampler = new Sampler(new SamplingConfig(0.8, 0, 0.95), lm.vocabulary().size());
 * for (int i = 0; i < 200; i++) System.out.print(s.generateText(sampler, rng));
 * }</pre>
 */
public final class LanguageModelSession {
    private final LanguageModel lm;
    private final ModelPass pass;
    private final int[] token = new int[1];
    private final float[] h;
    private final float[] c;
    private final float[] logits;
    private int last = -1;

    LanguageModelSession(LanguageModel lm) {
        this.lm = lm;
        this.pass = lm.network().newPass(1, 1);
        RecurrentConfig rc = lm.network().config().rnn();
        int stateSize = rc.numLayers() * rc.directions() * rc.hiddenSize();
        this.h = new float[stateSize];
        this.c = rc.cell() == CellKind.LSTM ? new float[stateSize] : null;
        this.logits = new float[lm.vocabulary().size()];
    }

    public LanguageModel model() {
        return lm;
    }

    /** Forgets everything fed so far: zero state, no logits. */
    public void reset() {
        java.util.Arrays.fill(h, 0f);
        if (c != null) java.util.Arrays.fill(c, 0f);
        java.util.Arrays.fill(logits, 0f);
        last = -1;
    }

    /**
     * Advances the state by one token and returns the logits of the next token, [V] (this session's
     * buffer, overwritten by the next feed).
     */
    public float[] feed(int tokenId) {
        int v = lm.vocabulary().size();
        if (tokenId < 0 || tokenId >= v) throw new IllegalArgumentException("token id " + tokenId + " is outside the vocabulary [0, " + v + ")");
        token[0] = tokenId;
        float[] out = pass.forwardTokens(token, null, h, c, false, null);
        System.arraycopy(pass.hn(), 0, h, 0, h.length);
        if (c != null) System.arraycopy(pass.cn(), 0, c, 0, c.length);
        System.arraycopy(out, 0, logits, 0, v);
        last = tokenId;
        return logits;
    }

    /**
     * Feeds every token of {@code text} (tokenized at the model's level; unknown characters or words go
     * in as {@code <unk>}) and returns the logits after the last one; with empty text, the current logits.
     */
    public float[] feed(String text) {
        for (int id : lm.vocabulary().encode(text)) feed(id);
        return logits;
    }

    /** True once at least one token has been fed since creation or {@link #reset()}. */
    public boolean started() {
        return last >= 0;
    }

    /** The logits of the next token after what was fed (this session's buffer). */
    public float[] logits() {
        if (!started()) throw new IllegalStateException("feed at least one token first (for example the model's startToken())");
        return logits;
    }

    /** The next-token distribution, softmax of {@link #logits()}: a new array of V probabilities summing to 1. */
    public double[] probabilities() {
        float[] l = logits();
        double max = Double.NEGATIVE_INFINITY;
        for (float x : l) max = Math.max(max, x);
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    /** The last token fed, or -1. */
    public int lastToken() {
        return last;
    }

    /**
     * Draws the next token with {@code sampler} ({@code <unk>} is never drawn), feeds it, and returns it.
     * Starts from the model's {@link LanguageModel#startToken()} if nothing was fed yet.
     */
    public int generate(Sampler sampler, Rng rng) {
        if (!started()) feed(lm.startToken());
        feed(sampler.sample(logits, Vocabulary.UNK_ID, rng));
        return last;
    }

    /**
     * Draws, feeds and returns the text of the next token as it reads after the previous one (with its
     * spacing at word level): the streaming form of {@link #generate}.
     */
    public String generateText(Sampler sampler, Rng rng) {
        if (!started()) feed(lm.startToken());
        int prev = last;
        int next = generate(sampler, rng);
        return lm.vocabulary().render(prev, next);
    }
}
