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
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.io.SafetensorsDtype;
import org.rnn4j.io.SafetensorsFile;
import org.rnn4j.tensor.Tensor;

/**
 * One or more seq2seq models that decode together: at every step the {@link Translator} combines the
 * members' next-token distributions ({@link Combination}). Members must read and write the same
 * tokens (same vocabularies and tokenisation); sizes and cells may differ. Independently trained
 * models make different mistakes, so the combination is usually better than any member.
 *
 * <p>File format: a single model is an ordinary {@link Seq2SeqModel} file. Two or more are one
 * safetensors file whose tensors are the members' parameters named {@code member<i>.<name>}, and
 * whose metadata key {@value #KEY} holds {@code {"format": "1", "members": [{"settings": ...,
 * "metadata": {...}}, ...]}} (each member's settings as a model file would store them, and its own
 * provenance); the other metadata keys describe the ensemble as a whole (how it was made, metrics).
 */
public final class Seq2SeqEnsemble {
    /** Metadata key of an ensemble file's members (JSON). */
    public static final String KEY = "rnn4j.seq2seq.ensemble";
    static final String FORMAT = "1";

    /** How the members' next-token distributions become one. */
    public enum Combination {
        /**
         * The normalised geometric mean: softmax of the members' average log-probability (a product of
         * experts). A token must be likely under every member; on the G2P dev fold this beat the
         * mixture by half a point of word error, so it is the default.
         */
        PRODUCT,
        /** The arithmetic mean of the probabilities (a mixture): one confident member can carry a token. */
        MIXTURE;

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Combination parse(String s) {
            for (Combination c : values()) if (c.cliName().equals(s)) return c;
            throw new IllegalArgumentException("combination must be product or mixture, got '" + s + "'");
        }
    }

    private final List<Seq2SeqModel> members;
    private final Map<String, String> metadata;
    private final SafetensorsDtype storage;
    private final Combination combination;

    private Seq2SeqEnsemble(List<Seq2SeqModel> members, Map<String, String> metadata, SafetensorsDtype storage, Combination combination) {
        this.members = List.copyOf(members);
        this.metadata = metadata;
        this.storage = storage;
        this.combination = combination;
    }

    /** The same members (and metadata) combined by {@code c}. */
    public Seq2SeqEnsemble combinedBy(Combination c) {
        return new Seq2SeqEnsemble(members, metadata, storage, c);
    }

    public Combination combination() {
        return combination;
    }

    /** Models that decode together; all must share vocabularies and tokenisation. */
    public static Seq2SeqEnsemble of(List<Seq2SeqModel> members) {
        return of(members, null, SafetensorsDtype.F32);
    }

    private static Seq2SeqEnsemble of(List<Seq2SeqModel> members, List<String> names, SafetensorsDtype storage) {
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one model");
        Seq2SeqModel first = members.getFirst();
        for (int i = 1; i < members.size(); i++) {
            Seq2SeqModel m = members.get(i);
            String what = m.sourceVocabulary().tokens().equals(first.sourceVocabulary().tokens()) ? null : "source vocabulary";
            if (what == null && !m.targetVocabulary().tokens().equals(first.targetVocabulary().tokens())) what = "target vocabulary";
            if (what == null && (m.sourceTokens() != first.sourceTokens() || m.targetTokens() != first.targetTokens())) what = "tokenisation";
            if (what != null) {
                String name = names == null ? "model " + (i + 1) : names.get(i);
                String firstName = names == null ? "model 1" : names.getFirst();
                throw new IllegalArgumentException(name + " cannot join an ensemble with " + firstName + ": its " + what
                        + " differs (members must be trained on the same data with the same --source-tokens/--target-tokens)");
            }
        }
        Map<String, String> meta = members.size() == 1 ? first.metadata() : new LinkedHashMap<>();
        return new Seq2SeqEnsemble(members, meta, storage, Combination.PRODUCT);
    }

    /** Reads each file (a model or an ensemble) and puts all their members together, in order. */
    public static Seq2SeqEnsemble load(List<Path> files) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no model files given");
        List<Seq2SeqModel> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        SafetensorsDtype storage = null;
        Map<String, String> onlyMeta = null;
        for (Path file : files) {
            SafetensorsFile f = Safetensors.read(file);
            if (storage == null) storage = storageOf(f);
            List<Seq2SeqModel> read = read(file, f);
            for (int i = 0; i < read.size(); i++) names.add(read.size() == 1 ? file.toString() : file + " member " + (i + 1));
            members.addAll(read);
            if (files.size() == 1 && read.size() > 1) onlyMeta = ensembleMetadata(f);
        }
        Seq2SeqEnsemble e;
        try {
            e = of(members, names, storage);
        } catch (IllegalArgumentException ex) {
            throw new FormatException(files.getLast(), ex.getMessage());
        }
        if (onlyMeta != null) e.metadata.putAll(onlyMeta);
        return e;
    }

    /** {@link #load(List)} of one file. */
    public static Seq2SeqEnsemble load(Path file) throws IOException {
        return load(List.of(file));
    }

    private static SafetensorsDtype storageOf(SafetensorsFile f) {
        for (String name : f.names()) if (f.dtype(name).equals("I8")) return SafetensorsDtype.I8;
        for (String name : f.names()) if (f.dtype(name).equals("F16")) return SafetensorsDtype.F16;
        return SafetensorsDtype.F32;
    }

    private static Map<String, String> ensembleMetadata(SafetensorsFile f) {
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        meta.remove(KEY);
        return meta;
    }

    private static List<Seq2SeqModel> read(Path file, SafetensorsFile f) throws IOException {
        String json = f.metadata().get(KEY);
        if (json == null) return List.of(Seq2SeqModel.read(file, f));
        Set<String> unused = new LinkedHashSet<>(f.names());
        List<Seq2SeqModel> out = new ArrayList<>();
        try {
            if (!(Json.parse(json) instanceof Map<?, ?> root)) throw new FormatException(file, "metadata " + KEY + " is not a JSON object");
            if (!FORMAT.equals(String.valueOf(root.get("format")))) {
                throw new FormatException(file, "seq2seq ensemble format " + root.get("format") + " is not supported (this rnn4j reads " + FORMAT + ")");
            }
            if (!(root.get("members") instanceof List<?> list) || list.size() < 2) {
                throw new FormatException(file, "metadata " + KEY + " needs a 'members' list of at least two models");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = KEY + " member " + (i + 1);
                if (!(list.get(i) instanceof Map<?, ?> member) || !(member.get("settings") instanceof Map<?, ?> settings)) {
                    throw new FormatException(file, "metadata " + where + " has no 'settings' object");
                }
                Seq2SeqModel m = Seq2SeqModel.fromSettings(file, settings, where);
                m.readTensors(file, f, prefix(i), unused);
                if (member.get("metadata") instanceof Map<?, ?> own) {
                    for (Map.Entry<?, ?> e : own.entrySet()) m.metadata().put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
                out.add(m);
            }
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, "metadata " + KEY + " is invalid: " + e.getMessage());
        }
        if (!unused.isEmpty()) throw new FormatException(file, "unexpected tensor(s) " + unused + " for this seq2seq ensemble");
        return out;
    }

    private static String prefix(int member) {
        return "member" + member + ".";
    }

    /**
     * Writes atomically: one member as an ordinary model file, several as an ensemble file (class
     * comment), tensors stored as {@code storage} (F32; F16 or I8 for shipping).
     */
    public void save(Path file, SafetensorsDtype storage) throws IOException {
        if (members.size() == 1) {
            members.getFirst().save(file, storage);
            return;
        }
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Seq2SeqModel m = members.get(i);
            tensors.putAll(m.tensors(file, prefix(i)));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("settings", m.settings());
            entry.put("metadata", m.metadata());
            list.add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("members", list);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(KEY, Json.write(root));
        Safetensors.write(file, tensors, meta, storage);
    }

    /** The members, in decoding order (the first one's attention is the one reported). */
    public List<Seq2SeqModel> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    /** The first member: vocabularies and tokenisation are the same for all. */
    public Seq2SeqModel first() {
        return members.getFirst();
    }

    /** Metadata of the file as a whole (for one member: that model's own metadata). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** How the (first) file stored its tensors: F32, F16 or I8; re-saving keeps it. */
    public SafetensorsDtype storage() {
        return storage;
    }
}
