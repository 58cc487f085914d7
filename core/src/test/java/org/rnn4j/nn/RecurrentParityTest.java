package org.rnn4j.nn;

import static org.rnn4j.testing.Fixtures.assertClose;
import static org.rnn4j.testing.Fixtures.doubles;
import static org.rnn4j.testing.Fixtures.floats;
import static org.rnn4j.testing.Fixtures.ints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.testing.Fixtures;

/**
 * Every cell × bias × layers (1–3) × direction × variable length against PyTorch 1.13 run in float64:
 * outputs, final states, and the gradients of x, h0, c0 and every parameter.
 */
class RecurrentParityTest {
    static final double OUT_TOL = 1e-5;
    static final double GRAD_TOL = 1e-4;

    static Stream<Path> cases() {
        return Fixtures.cases(Fixtures.group("rnn")).stream();
    }

    static CellKind cell(String name) {
        return switch (name) {
            case "lstm" -> CellKind.LSTM;
            case "gru" -> CellKind.GRU;
            case "rnn_tanh" -> CellKind.RNN_TANH;
            case "rnn_relu" -> CellKind.RNN_RELU;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static SequenceModel loadModel(Path dir, Map<String, Object> meta, int headSize) {
        RecurrentConfig rc = new RecurrentConfig(cell((String) meta.get("cell")),
                ((Number) meta.get("input_size")).intValue(), ((Number) meta.get("hidden_size")).intValue(),
                ((Number) meta.get("num_layers")).intValue(), (Boolean) meta.get("bidirectional"),
                (Boolean) meta.getOrDefault("bias", true), 0);
        SequenceModel model = new SequenceModel(new ModelConfig(rc, headSize, 0));
        Parameters p = model.parameters();
        for (Parameters.Param q : p.list()) {
            Path f = dir.resolve("param." + q.name() + ".npy");
            if (!Files.exists(f)) throw new AssertionError("fixture has no " + f.getFileName() + " for our parameter " + q.name());
            p.set(q.name(), org.rnn4j.tensor.Tensor.of(floats(f), q.shape()));
        }
        return model;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPytorch(Path dir) {
        Map<String, Object> meta = Fixtures.meta(dir);
        SequenceModel model = loadModel(dir, meta, 0);
        boolean lstm = model.config().rnn().cell() == CellKind.LSTM;
        int batch = ((Number) meta.get("batch")).intValue(), time = ((Number) meta.get("time")).intValue();
        String name = dir.getFileName().toString();

        ModelPass pass = model.newPass(batch, time);
        float[] out = pass.forward(floats(dir.resolve("x.npy")), ints(dir.resolve("lengths.npy")),
                floats(dir.resolve("h0.npy")), lstm ? floats(dir.resolve("c0.npy")) : null, false, null);
        assertClose(name + " out", doubles(dir.resolve("out.npy")), out, OUT_TOL, OUT_TOL);
        assertClose(name + " hn", doubles(dir.resolve("hn.npy")), pass.hn(), OUT_TOL, OUT_TOL);
        if (lstm) assertClose(name + " cn", doubles(dir.resolve("cn.npy")), pass.cn(), OUT_TOL, OUT_TOL);

        model.parameters().zeroGrad();
        pass.backward(floats(dir.resolve("dout.npy")), floats(dir.resolve("dhn.npy")),
                lstm ? floats(dir.resolve("dcn.npy")) : null);
        assertClose(name + " grad x", doubles(dir.resolve("grad.x.npy")), pass.dInput(), GRAD_TOL, GRAD_TOL);
        assertClose(name + " grad h0", doubles(dir.resolve("grad.h0.npy")), pass.dh0(), GRAD_TOL, GRAD_TOL);
        if (lstm) assertClose(name + " grad c0", doubles(dir.resolve("grad.c0.npy")), pass.dc0(), GRAD_TOL, GRAD_TOL);
        for (Parameters.Param q : model.parameters().list()) {
            assertClose(name + " grad " + q.name(), doubles(dir.resolve("grad." + q.name() + ".npy")),
                    model.parameters().grad(q.name()).data(), GRAD_TOL, GRAD_TOL);
        }
    }
}
