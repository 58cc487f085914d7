package org.rnn4j.apps.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.ModelFile;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;

/**
 * A language model: embedding → recurrent stack → linear head over the vocabulary, plus the {@link
 * Vocabulary}. The network is a plain {@link SequenceModel} (PyTorch names {@code embedding.weight},
 * {@code rnn.*}, {@code head.*}); the vocabulary and training facts are JSON in the model file's
 * metadata under {@value #METADATA_KEY}.
 *
 * <p>The weights are shared read-only by every {@link LanguageModelSession}, so one model serves many
 * threads as long as nobody trains it at the same time.
 */
public final class LanguageModel {
    /** Metadata key of the JSON {"vocabulary": {...}, "training": {...}}. */
    public static final String METADATA_KEY = "rnn4j.lm";

    private final SequenceModel model;
    private final Vocabulary vocabulary;
    private final Map<String, Object> training = new LinkedHashMap<>();

    /** Wraps {@code model}, which must have an embedding and a head of the vocabulary's size. */
    public LanguageModel(SequenceModel model, Vocabulary vocabulary) {
        ModelConfig c = model.config();
        if (c.vocabSize() != vocabulary.size() || c.headSize() != vocabulary.size()) {
            throw new IllegalArgumentException("a language model needs an embedding and a head of the vocabulary size "
                    + vocabulary.size() + ", got vocabSize " + c.vocabSize() + " and headSize " + c.headSize());
        }
        if (c.rnn().bidirectional()) throw new IllegalArgumentException("a language model cannot be bidirectional: it would see the future");
        this.model = model;
        this.vocabulary = vocabulary;
        writeMetadata();
    }

    /** A new model with PyTorch's default initialisation drawn from {@code seed}. */
    public static LanguageModel create(Vocabulary vocabulary, CellKind cell, int embeddingSize, int hiddenSize, int layers,
            double dropout, long seed) {
        RecurrentConfig rc = new RecurrentConfig(cell, embeddingSize, hiddenSize, layers, false, true, dropout);
        ModelConfig mc = new ModelConfig(rc, vocabulary.size(), vocabulary.size());
        return new LanguageModel(SequenceModel.create(mc, Init.PYTORCH, seed), vocabulary);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws FormatException if the file is not a language model (no vocabulary, sizes that disagree)
     */
    public static LanguageModel load(Path file) throws IOException {
        SequenceModel m = ModelFile.load(file);
        String json = m.metadata().get(METADATA_KEY);
        if (json == null) {
            throw new FormatException(file, "not a language model: no '" + METADATA_KEY + "' metadata with a vocabulary"
                    + " (train one with `rnn4j lm train`)");
        }
        Vocabulary v;
        Object training;
        try {
            Object parsed = Json.parse(json);
            if (!(parsed instanceof Map<?, ?> map) || !map.containsKey("vocabulary")) {
                throw new IllegalArgumentException("metadata '" + METADATA_KEY + "' has no 'vocabulary'");
            }
            v = Vocabulary.fromJson(map.get("vocabulary"));
            training = map.get("training");
        } catch (IllegalArgumentException e) { // JsonException included
            throw new FormatException(file, "metadata '" + METADATA_KEY + "': " + e.getMessage());
        }
        LanguageModel lm;
        try {
            lm = new LanguageModel(m, v);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, e.getMessage());
        }
        if (training instanceof Map<?, ?> t) {
            t.forEach((k, val) -> lm.training.put(String.valueOf(k), val));
            lm.writeMetadata();
        }
        return lm;
    }

    /** Writes the model with its vocabulary and training facts, atomically. */
    public void save(Path file) throws IOException {
        writeMetadata();
        ModelFile.save(file, model);
    }

    public SequenceModel network() {
        return model;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Level level() {
        return vocabulary.level();
    }

    /** Free-form facts about how the model was trained, stored with it (settings, validation loss). */
    public Map<String, Object> training() {
        return training;
    }

    /** A new inference session: its own state and buffers, sharing this model's weights. */
    public LanguageModelSession newSession() {
        return new LanguageModelSession(this);
    }

    /**
     * The token fed to start generating when there is no prime text: the line break if the vocabulary
     * has one (texts and lists of names start after one), otherwise the most frequent token.
     */
    public int startToken() {
        String nl = "\n";
        return vocabulary.contains(nl) ? vocabulary.id(nl) : Math.min(1, vocabulary.size() - 1);
    }

    private void writeMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocabulary", vocabulary.toJson());
        if (!training.isEmpty()) m.put("training", training);
        model.metadata().put(METADATA_KEY, Json.write(m));
    }
}
