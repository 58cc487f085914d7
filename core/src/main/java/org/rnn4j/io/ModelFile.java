package org.rnn4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Tensor;

/**
 * A model is one {@code .safetensors} file: PyTorch's parameter names under {@code rnn.},
 * {@code head.} and {@code embedding.}, and JSON in {@code __metadata__}.
 *
 * <p>Loading infers everything from tensor names and shapes, so a PyTorch {@code state_dict} of
 * nn.LSTM / nn.GRU / nn.RNN (+ nn.Linear head, + nn.Embedding) saved with safetensors loads with no
 * other input: layers from {@code weight_ih_l<k>}, directions from {@code _reverse}, hidden size from
 * weight_hh's columns, the cell from the gate count (4 LSTM, 3 GRU, 1 RNN) and the RNN nonlinearity
 * from the metadata key {@value #NONLINEARITY} ("tanh" by default, or "relu").
 */
public final class ModelFile {
    /** Bumped when the layout changes; files of every earlier version must keep loading. */
    public static final String FORMAT_VERSION = "1";
    public static final String KEY_FORMAT = "rnn4j.format_version";
    public static final String NONLINEARITY = "rnn4j.nonlinearity";
    /** JSON: training-time settings that shapes cannot tell (dropout). */
    public static final String KEY_MODEL = "rnn4j.model";

    private ModelFile() {}

    /** Writes {@code model} atomically to {@code path}. */
    public static void save(Path path, SequenceModel model) throws IOException {
        Parameters p = model.parameters();
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameters.Param q : p.list()) {
            Tensor t = p.value(q.name());
            for (float f : t.data()) {
                if (!Float.isFinite(f)) {
                    throw new IOException("refusing to save " + path + ": parameter " + q.name() + " contains " + f);
                }
            }
            tensors.put(q.name(), t);
        }
        Map<String, String> meta = new LinkedHashMap<>(model.metadata());
        meta.put(KEY_FORMAT, FORMAT_VERSION);
        RecurrentConfig rc = model.config().rnn();
        if (rc.cell() == CellKind.RNN_RELU) meta.put(NONLINEARITY, "relu");
        else if (rc.cell() == CellKind.RNN_TANH) meta.put(NONLINEARITY, "tanh");
        else meta.remove(NONLINEARITY);
        Map<String, Object> modelJson = new LinkedHashMap<>();
        modelJson.put("cell", rc.cell().cliName());
        modelJson.put("dropout", rc.dropout());
        meta.put(KEY_MODEL, Json.write(modelJson));
        Safetensors.write(path, tensors, meta);
    }

    /** Reads a model, checking every name, shape and value; errors name the file and the tensor. */
    public static SequenceModel load(Path path) throws IOException {
        SafetensorsFile file = Safetensors.read(path);
        ModelConfig config = inferConfig(path, file);
        SequenceModel model = new SequenceModel(config);
        Parameters p = model.parameters();
        Set<String> unused = new LinkedHashSet<>(file.names());
        for (Parameters.Param q : p.list()) {
            if (!unused.remove(q.name())) {
                throw new FormatException(path, "tensor " + q.name() + " is missing (expected shape "
                        + Tensor.shapeString(q.shape()) + ")");
            }
            int[] shape = file.shape(q.name());
            if (!java.util.Arrays.equals(shape, q.shape())) {
                throw new FormatException(path, "tensor " + q.name() + " has shape " + Tensor.shapeString(shape)
                        + ", expected " + Tensor.shapeString(q.shape()));
            }
            Tensor t = file.tensor(q.name());
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new FormatException(path, "tensor " + q.name() + " contains " + d[i] + " at flat index " + i);
                }
            }
            p.set(q.name(), t);
        }
        if (!unused.isEmpty()) {
            throw new FormatException(path, "unexpected tensor(s) " + unused
                    + "; an rnn4j model holds rnn.* (weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k>[_reverse]), head.weight, head.bias and embedding.weight");
        }
        Map<String, String> meta = file.metadata();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!e.getKey().equals(KEY_FORMAT)) model.metadata().put(e.getKey(), e.getValue());
        }
        return model;
    }

    /** Cell kind, sizes, layers, directions, bias, head and embedding from names and shapes. */
    static ModelConfig inferConfig(Path path, SafetensorsFile file) throws FormatException {
        Set<String> names = new LinkedHashSet<>(file.names());
        String version = file.metadata().get(KEY_FORMAT);
        if (version != null && !version.matches("\\d+")) {
            throw new FormatException(path, "metadata " + KEY_FORMAT + " is '" + version + "', expected a number");
        }
        if (version != null && Integer.parseInt(version) > Integer.parseInt(FORMAT_VERSION)) {
            throw new FormatException(path, "model format version " + version + " is newer than this rnn4j reads ("
                    + FORMAT_VERSION + "); upgrade rnn4j");
        }
        if (!names.contains("rnn.weight_ih_l0") || !names.contains("rnn.weight_hh_l0")) {
            throw new FormatException(path, "not an rnn4j model: no tensors rnn.weight_ih_l0 and rnn.weight_hh_l0"
                    + " (a PyTorch nn.LSTM/nn.GRU/nn.RNN state_dict saved under the prefix 'rnn.'); found " + preview(names));
        }
        for (String n : names) {
            if (n.startsWith("rnn.weight_hr")) {
                throw new FormatException(path, "tensor " + n + ": LSTM projections (proj_size > 0) are not supported");
            }
        }
        int[] wih = rank2(path, file, "rnn.weight_ih_l0"), whh = rank2(path, file, "rnn.weight_hh_l0");
        int hidden = whh[1];
        if (hidden <= 0 || whh[0] % hidden != 0) {
            throw new FormatException(path, "rnn.weight_hh_l0 has shape " + Tensor.shapeString(whh)
                    + ", expected (G*H, H) with G = 4 (LSTM), 3 (GRU) or 1 (RNN)");
        }
        int gates = whh[0] / hidden;
        String nonlinearity = file.metadata().getOrDefault(NONLINEARITY, "tanh");
        CellKind cell = switch (gates) {
            case 4 -> CellKind.LSTM;
            case 3 -> CellKind.GRU;
            case 1 -> switch (nonlinearity) {
                case "tanh" -> CellKind.RNN_TANH;
                case "relu" -> CellKind.RNN_RELU;
                default -> throw new FormatException(path, "metadata " + NONLINEARITY + " is '" + nonlinearity
                        + "', expected 'tanh' or 'relu'");
            };
            default -> throw new FormatException(path, "rnn.weight_hh_l0 has " + whh[0] + " rows for hidden size "
                    + hidden + " (" + gates + " gates); expected 4 (LSTM), 3 (GRU) or 1 (RNN) gates");
        };
        int layers = 0;
        while (names.contains("rnn.weight_ih_l" + layers)) layers++;
        boolean bidirectional = names.contains("rnn.weight_ih_l0_reverse");
        boolean bias = names.contains("rnn.bias_ih_l0");
        double dropout = 0;
        String modelJson = file.metadata().get(KEY_MODEL);
        if (modelJson != null) {
            try {
                Object parsed = Json.parse(modelJson);
                if (parsed instanceof Map<?, ?> m && m.get("dropout") instanceof Number d) dropout = d.doubleValue();
            } catch (JsonException e) {
                throw new FormatException(path, "metadata " + KEY_MODEL + " is not valid JSON: " + e.getMessage());
            }
        }
        if (!(dropout >= 0 && dropout < 1)) dropout = 0;
        int vocab = 0;
        if (names.contains("embedding.weight")) {
            int[] e = rank2(path, file, "embedding.weight");
            if (e[1] != wih[1]) {
                throw new FormatException(path, "embedding.weight has " + e[1] + " columns but rnn.weight_ih_l0 expects "
                        + wih[1] + " inputs");
            }
            vocab = e[0];
        }
        int head = 0;
        if (names.contains("head.weight")) {
            int[] hw = rank2(path, file, "head.weight");
            head = hw[0];
            if (!names.contains("head.bias")) throw new FormatException(path, "head.weight present but head.bias missing");
        }
        try {
            return new ModelConfig(new RecurrentConfig(cell, wih[1], hidden, layers, bidirectional, bias, dropout), head, vocab);
        } catch (IllegalArgumentException e) {
            throw new FormatException(path, e.getMessage());
        }
    }

    private static int[] rank2(Path path, SafetensorsFile file, String name) throws FormatException {
        int[] s = file.shape(name);
        if (s.length != 2) {
            throw new FormatException(path, "tensor " + name + " has shape " + Tensor.shapeString(s) + ", expected 2 dimensions");
        }
        return s;
    }

    private static String preview(Set<String> names) {
        if (names.isEmpty()) return "no tensors";
        return names.size() <= 8 ? names.toString() : names.stream().limit(8).toList() + " and " + (names.size() - 8) + " more";
    }
}
