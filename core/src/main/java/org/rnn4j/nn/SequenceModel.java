package org.rnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;

/**
 * A recurrent sequence model with its parameters: [embedding →] recurrent stack [→ linear head].
 * Parameter names are PyTorch's under {@code embedding.}, {@code rnn.} and {@code head.}.
 *
 * <p>The model holds weights only; the buffers of a forward/backward live in a {@link ModelPass}, one
 * per (batch, length) and per thread, so one model can serve many threads at once.
 */
public final class SequenceModel {
    public static final String EMBEDDING_PREFIX = "embedding.";
    public static final String RNN_PREFIX = "rnn.";
    public static final String HEAD_PREFIX = "head.";

    private final ModelConfig config;
    private final Parameters params;
    private final Embedding embedding;
    private final Recurrent rnn;
    private final Linear head;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SequenceModel(ModelConfig config) {
        this.config = config;
        Parameters.Builder b = Parameters.builder();
        RecurrentConfig rc = config.rnn();
        this.embedding = config.hasEmbedding() ? new Embedding(config.vocabSize(), rc.inputSize(), b, EMBEDDING_PREFIX) : null;
        this.rnn = new Recurrent(rc, b, RNN_PREFIX);
        this.head = config.hasHead() ? new Linear(rc.outputSize(), config.headSize(), true, b, HEAD_PREFIX) : null;
        this.params = b.build();
    }

    /** A new model initialised by {@code init} from {@code seed}. */
    public static SequenceModel create(ModelConfig config, Init init, long seed) {
        SequenceModel m = new SequenceModel(config);
        m.initialize(init, new Rng(seed));
        return m;
    }

    public void initialize(Init init, Rng rng) {
        if (embedding != null) embedding.initialize(params, rng);
        rnn.initialize(params, init, rng);
        if (head != null) head.initialize(params, rng);
    }

    public ModelConfig config() {
        return config;
    }

    public Parameters parameters() {
        return params;
    }

    Embedding embedding() {
        return embedding;
    }

    public Recurrent recurrent() {
        return rnn;
    }

    Linear head() {
        return head;
    }

    /** Free-form string metadata kept with the model (applications store their settings here). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public int outputSize() {
        return config.outputSize();
    }

    /** Buffers for forward/backward passes on batches of {@code batch} sequences of {@code time} steps. */
    public ModelPass newPass(int batch, int time) {
        return new ModelPass(this, batch, time);
    }

    /**
     * Inference on a whole batch: x [B, T, I] → [B, T, outputSize]. Allocates its buffers; for
     * repeated calls keep a {@link ModelPass}.
     */
    public Tensor predict(Tensor x) {
        if (config.hasEmbedding()) throw new IllegalArgumentException("this model takes token ids; use ModelPass.forwardTokens");
        if (x.rank() != 3 || x.dim(2) != config.rnn().inputSize()) {
            throw new org.rnn4j.tensor.ShapeException("input: expected (batch, time, " + config.rnn().inputSize()
                    + ") = (B, T, input size), got " + Tensor.shapeString(x.shape()));
        }
        ModelPass pass = newPass(x.dim(0), x.dim(1));
        float[] y = pass.forward(x.data(), null, null, null, false, null);
        return Tensor.of(y.clone(), x.dim(0), x.dim(1), outputSize());
    }
}
