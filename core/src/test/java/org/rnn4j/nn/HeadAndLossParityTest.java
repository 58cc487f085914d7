package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.testing.Fixtures.assertClose;
import static org.rnn4j.testing.Fixtures.doubles;
import static org.rnn4j.testing.Fixtures.floats;
import static org.rnn4j.testing.Fixtures.ints;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.testing.Fixtures;
import org.rnn4j.train.CrossEntropyLoss;
import org.rnn4j.train.MseLoss;

/**
 * Recurrent stack + per-step linear head + loss (MSE over all elements, or cross-entropy with an
 * ignore index) against PyTorch: logits, loss, and the gradients of x and every parameter.
 */
class HeadAndLossParityTest {

    static Stream<Path> cases() {
        return Fixtures.cases(Fixtures.group("model")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPytorch(Path dir) {
        Map<String, Object> meta = Fixtures.meta(dir);
        int head = ((Number) meta.get("head_size")).intValue();
        SequenceModel model = RecurrentParityTest.loadModel(dir, meta, head);
        int batch = ((Number) meta.get("batch")).intValue(), time = ((Number) meta.get("time")).intValue();
        String name = dir.getFileName().toString();
        ModelPass pass = model.newPass(batch, time);
        float[] logits = pass.forward(floats(dir.resolve("x.npy")), ints(dir.resolve("lengths.npy")), null, null, false, null);
        assertClose(name + " logits", doubles(dir.resolve("logits.npy")), logits, 1e-5, 1e-5);

        float[] dLogits = new float[logits.length];
        double loss;
        if ("mse".equals(meta.get("loss"))) {
            loss = MseLoss.lossAndGrad(logits, 0, floats(dir.resolve("target.npy")), 0, logits.length, dLogits, 0);
        } else {
            loss = new CrossEntropyLoss().lossAndGrad(logits, 0, batch * time, head, ints(dir.resolve("target.npy")), 0, dLogits, 0);
        }
        assertEquals(doubles(dir.resolve("loss.npy"))[0], loss, 1e-5, name + " loss");
        model.parameters().zeroGrad();
        pass.backward(dLogits, null, null);
        assertClose(name + " grad x", doubles(dir.resolve("grad.x.npy")), pass.dInput(), 1e-4, 1e-4);
        for (Parameters.Param q : model.parameters().list()) {
            assertClose(name + " grad " + q.name(), doubles(dir.resolve("grad." + q.name() + ".npy")),
                    model.parameters().grad(q.name()).data(), 1e-4, 1e-4);
        }
    }
}
