package org.rnn4j.apps.seq2seq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Int8Rows;
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.io.SafetensorsDtype;
import org.rnn4j.io.SafetensorsFile;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Initializers;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.Parameters.Param;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.StepwiseRecurrent;
import org.rnn4j.tensor.Rng;
import org.rnn4j.tensor.Tensor;

/**
 * An attentional encoder-decoder (Luong et al. 2015 with input feeding; Bahdanau scores optional) and
 * everything needed to use it: vocabularies, tokenisation per side, and free-form metadata.
 *
 * <p>Dimensions: V_s/V_t source/target vocabulary, E_m embedding size, H hidden size (decoder state,
 * encoder output; H/2 per encoder direction), L layers.
 *
 * <pre>
 *   encoder:  m = BiRNN_L(embed_s(x))                                    [S, H]
 *   bridge:   h0_l = tanh(W_b [→h_S ; ←h_1] + b_b)_l   (top encoder layer's final states; c0 = 0)
 *   decoder:  h_t = RNN_L([embed_t(y_{t-1}) ; h̃_{t-1}], h_{t-1})          (input feeding, h̃_{-1} = 0)
 *             c_t = Attention(h_t, m)                                       [H]
 *             h̃_t = tanh(W_c [c_t ; h_t])                                   [H]
 *             p(y_t) = softmax(W_g h̃_t + b_g)                              [V_t]
 * </pre>
 *
 * Parameter names (PyTorch {@code state_dict} keys of the reference in tools/reference/):
 * {@code encoder.embedding.weight} [V_s, E_m]; {@code encoder.rnn.*} (nn.LSTM/GRU, bidirectional,
 * hidden H/2); {@code bridge.weight} [L·H, H], {@code bridge.bias}; {@code decoder.embedding.weight}
 * [V_t, E_m]; {@code decoder.rnn.*} (nn.LSTM/GRU, input E_m + H); {@code attention.*} (see
 * {@link Attention}); {@code combine.weight} [H, 2H]; {@code generator.weight} [V_t, H],
 * {@code generator.bias}.
 */
public final class Seq2SeqModel {
    /** Metadata key of the model's settings and vocabularies (JSON). */
    public static final String KEY = "rnn4j.seq2seq";
    public static final String FORMAT = "1";

    private final Seq2SeqConfig config;
    private final Vocabulary source;
    private final Vocabulary target;
    private final Tokenization sourceTokens;
    private final Tokenization targetTokens;
    private final Parameters params;
    final Embedding sourceEmbedding;
    final Recurrent encoder;
    final Param bridgeWeight;
    final Param bridgeBias;
    final Embedding targetEmbedding;
    final StepwiseRecurrent decoder;
    final Attention attention;
    final Param combineWeight;
    final Param generatorWeight;
    final Param generatorBias;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public Seq2SeqModel(Seq2SeqConfig config, Vocabulary source, Vocabulary target, Tokenization sourceTokens,
                        Tokenization targetTokens) {
        this.config = config;
        this.source = source;
        this.target = target;
        this.sourceTokens = sourceTokens;
        this.targetTokens = targetTokens;
        int e = config.embeddingSize(), h = config.hiddenSize(), l = config.layers();
        Parameters.Builder b = Parameters.builder();
        sourceEmbedding = new Embedding(source.size(), e, b, "encoder.embedding.");
        encoder = new Recurrent(new RecurrentConfig(config.cell(), e, h / 2, l, true, true, config.dropout()), b, "encoder.rnn.");
        bridgeWeight = b.add("bridge.weight", l * h, h);
        bridgeBias = b.add("bridge.bias", l * h);
        targetEmbedding = new Embedding(target.size(), e, b, "decoder.embedding.");
        decoder = new StepwiseRecurrent(new RecurrentConfig(config.cell(), e + h, h, l, false, true, config.dropout()), b, "decoder.rnn.");
        attention = new Attention(config.attention(), h, h, h, b, "attention.");
        combineWeight = b.add("combine.weight", h, 2 * h);
        generatorWeight = b.add("generator.weight", target.size(), h);
        generatorBias = b.add("generator.bias", target.size());
        params = b.build();
    }

    /** A new model with every parameter drawn from U(-0.1, 0.1) (the usual NMT initialisation). */
    public static Seq2SeqModel create(Seq2SeqConfig config, Vocabulary source, Vocabulary target, Tokenization sourceTokens,
                                      Tokenization targetTokens, long seed) {
        Seq2SeqModel m = new Seq2SeqModel(config, source, target, sourceTokens, targetTokens);
        Rng rng = new Rng(seed);
        Initializers.uniform(m.params.values(), 0, m.params.size(), 0.1f, rng);
        return m;
    }

    public Seq2SeqConfig config() {
        return config;
    }

    public Parameters parameters() {
        return params;
    }

    public Vocabulary sourceVocabulary() {
        return source;
    }

    public Vocabulary targetVocabulary() {
        return target;
    }

    public Tokenization sourceTokens() {
        return sourceTokens;
    }

    public Tokenization targetTokens() {
        return targetTokens;
    }

    /** Free-form metadata saved with the model (provenance, metrics). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A new set of buffers for training or evaluating passes (one per thread). */
    public Seq2SeqPass newPass() {
        return new Seq2SeqPass(this);
    }

    /** Writes the model atomically: float32 tensors in parameter order, settings and vocabularies as JSON. */
    public void save(Path file) throws IOException {
        save(file, SafetensorsDtype.F32);
    }

    /** As {@link #save(Path)} with the tensors stored as {@code storage} (F32; F16 or I8 for shipping, see {@link Safetensors#write(Path, java.util.SequencedMap, Map, SafetensorsDtype)}). */
    public void save(Path file, SafetensorsDtype storage) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(KEY, Json.write(settings()));
        Safetensors.write(file, tensors(file, ""), meta, storage);
    }

    /** The parameters as tensors named {@code prefix + name}; refuses non-finite values (naming them). */
    LinkedHashMap<String, Tensor> tensors(Path file, String prefix) throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Param q : params.list()) {
            Tensor t = params.value(q.name());
            for (float f : t.data()) {
                if (!Float.isFinite(f)) throw new IOException("refusing to save " + file + ": parameter " + prefix + q.name() + " contains " + f);
            }
            tensors.put(prefix + q.name(), t);
        }
        return tensors;
    }

    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", FORMAT);
        s.put("cell", config.cell().cliName());
        s.put("embedding_size", config.embeddingSize());
        s.put("hidden_size", config.hiddenSize());
        s.put("layers", config.layers());
        s.put("attention", config.attention().cliName());
        s.put("dropout", config.dropout());
        s.put("source_tokens", sourceTokens.cliName());
        s.put("target_tokens", targetTokens.cliName());
        s.put("source_vocabulary", source.tokens());
        s.put("target_vocabulary", target.tokens());
        return s;
    }

    /**
     * Reads a model written by {@link #save}; every problem names the file and what was expected. A
     * file holding an ensemble is refused with a pointer to {@link Seq2SeqEnsemble#load}.
     */
    public static Seq2SeqModel load(Path file) throws IOException {
        return read(file, Safetensors.read(file));
    }

    /** {@link #load} of a file already read. */
    static Seq2SeqModel read(Path file, SafetensorsFile f) throws FormatException {
        String json = f.metadata().get(KEY);
        if (json == null) {
            String what = f.metadata().containsKey(Seq2SeqEnsemble.KEY) ? "an ensemble of seq2seq models, not a single model"
                    : "not a seq2seq model: metadata has no " + KEY + " entry (found keys " + f.metadata().keySet() + ")";
            throw new FormatException(file, what);
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "metadata " + KEY + " is invalid: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> settings)) throw new FormatException(file, "metadata " + KEY + " is not a JSON object");
        Set<String> unused = new LinkedHashSet<>(f.names());
        Seq2SeqModel m = fromSettings(file, settings, KEY);
        m.readTensors(file, f, "", unused);
        if (!unused.isEmpty()) throw new FormatException(file, "unexpected tensor(s) " + unused + " for this seq2seq configuration");
        for (Map.Entry<String, String> e : f.metadata().entrySet()) {
            if (!e.getKey().equals(KEY)) m.metadata.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** A model with the settings and vocabularies {@code s} (as {@link #settings} writes them), parameters zero. */
    static Seq2SeqModel fromSettings(Path file, Map<?, ?> s, String where) throws FormatException {
        try {
            String format = String.valueOf(s.get("format"));
            if (!FORMAT.equals(format)) throw new FormatException(file, "seq2seq format " + format + " is not supported (this rnn4j reads " + FORMAT + ")");
            Seq2SeqConfig c = new Seq2SeqConfig(CellKind.parse(str(file, s, "cell")), integer(file, s, "embedding_size"),
                    integer(file, s, "hidden_size"), integer(file, s, "layers"), Attention.Score.parse(str(file, s, "attention")),
                    ((Number) require(file, s, "dropout")).doubleValue());
            return new Seq2SeqModel(c, new Vocabulary(strings(file, s, "source_vocabulary")), new Vocabulary(strings(file, s, "target_vocabulary")),
                    Tokenization.parse(str(file, s, "source_tokens")), Tokenization.parse(str(file, s, "target_tokens")));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new FormatException(file, "metadata " + where + " is invalid: " + e.getMessage());
        }
    }

    /** Sets every parameter from the tensor {@code prefix + name} of {@code f}, checking shapes and values; removes the names read from {@code unused}. */
    void readTensors(Path file, SafetensorsFile f, String prefix, Set<String> unused) throws FormatException {
        for (Param q : params.list()) {
            String name = prefix + q.name();
            if (!unused.remove(name)) throw new FormatException(file, "tensor " + name + " is missing (expected shape " + Tensor.shapeString(q.shape()) + ")");
            int[] shape = f.shape(name);
            if (!java.util.Arrays.equals(shape, q.shape())) {
                throw new FormatException(file, "tensor " + name + " has shape " + Tensor.shapeString(shape) + ", expected " + Tensor.shapeString(q.shape()));
            }
            Tensor t = f.dequantized(name);
            unused.remove(name + Int8Rows.SCALE_SUFFIX);
            for (int i = 0; i < t.data().length; i++) {
                if (!Float.isFinite(t.data()[i])) throw new FormatException(file, "tensor " + name + " contains " + t.data()[i] + " at flat index " + i);
            }
            params.set(q.name(), t);
        }
    }

    private static Object require(Path file, Map<?, ?> s, String key) throws FormatException {
        Object v = s.get(key);
        if (v == null) throw new FormatException(file, "metadata " + KEY + " has no '" + key + "'");
        return v;
    }

    private static String str(Path file, Map<?, ?> s, String key) throws FormatException {
        return String.valueOf(require(file, s, key));
    }

    private static int integer(Path file, Map<?, ?> s, String key) throws FormatException {
        return Math.toIntExact(((Number) require(file, s, key)).longValue());
    }

    private static List<String> strings(Path file, Map<?, ?> s, String key) throws FormatException {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) require(file, s, key)) out.add((String) o);
        return out;
    }
}
