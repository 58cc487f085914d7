package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.tensor.ShapeException;
import org.rnn4j.tensor.Tensor;

/** MSE and cross-entropy against PyTorch (float64 reference on float32 inputs), plus edge cases. */
class LossTest {

    static final double RTOL = 1e-6;
    static final double ATOL = 1e-8;

    @Test
    void mseMatchesPyTorch() {
        Fixture f = Fixture.load("loss_mse");
        float[] pred = f.floats("pred");
        float[] target = f.floats("target");
        float[] dPred = new float[pred.length];
        double loss = MseLoss.lossAndGrad(pred, 0, target, 0, pred.length, dPred, 0);
        Fixture.assertClose("mse loss", new double[] {f.num("loss")}, new double[] {loss}, RTOL, 0);
        Fixture.assertClose("mse grad", f.doubles("grad"), Fixture.toDouble(dPred), RTOL, ATOL);
        assertEquals(loss, MseLoss.loss(pred, 0, target, 0, pred.length));
    }

    @Test
    void mseHonoursOffsetsAndOverwritesTheGradient() {
        Fixture f = Fixture.load("loss_mse");
        float[] pred = f.floats("pred");
        float[] target = f.floats("target");
        int n = pred.length;
        float[] paddedPred = new float[n + 3];
        float[] paddedTarget = new float[n + 5];
        float[] dPred = new float[n + 2];
        Arrays.fill(dPred, 42f);
        System.arraycopy(pred, 0, paddedPred, 3, n);
        System.arraycopy(target, 0, paddedTarget, 5, n);
        double loss = MseLoss.lossAndGrad(paddedPred, 3, paddedTarget, 5, n, dPred, 1);
        Fixture.assertClose("mse loss", new double[] {f.num("loss")}, new double[] {loss}, RTOL, 0);
        assertEquals(42f, dPred[0]);
        assertEquals(42f, dPred[n + 1]);
        Fixture.assertClose("mse grad", f.doubles("grad"), Fixture.toDouble(Arrays.copyOfRange(dPred, 1, n + 1)), RTOL,
                ATOL);
    }

    @Test
    void mseTensorFormChecksShapes() {
        Tensor a = Tensor.zeros(2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> MseLoss.lossAndGrad(a, Tensor.zeros(3, 2), null));
        assertTrue(e.getMessage().contains("target") && e.getMessage().contains("(3, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MseLoss.loss(new float[0], 0, new float[0], 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"loss_ce", "loss_ce_ignore2"})
    void crossEntropyMatchesPyTorch(String name) {
        Fixture f = Fixture.load(name);
        int[] shape = f.ints("shape");
        int n = shape[0];
        int c = shape[1];
        CrossEntropyLoss ce = new CrossEntropyLoss((int) f.num("ignore_index"));
        float[] logits = f.floats("logits");
        int[] targets = f.ints("targets");
        float[] d = new float[n * c];
        Arrays.fill(d, Float.NaN); // ignored rows must be overwritten with zeros
        double loss = ce.lossAndGrad(logits, 0, n, c, targets, 0, d, 0);
        Fixture.assertClose(name + " loss", new double[] {f.num("loss")}, new double[] {loss}, RTOL, 0);
        Fixture.assertClose(name + " grad", f.doubles("grad"), Fixture.toDouble(d), RTOL, ATOL);
        assertEquals((int) f.num("count"), ce.countCounted(targets, 0, n, c));
        assertEquals(loss, ce.loss(logits, 0, n, c, targets, 0));
        // Tensor form, same numbers.
        Tensor dt = Tensor.zeros(n, c);
        assertEquals(loss, ce.lossAndGrad(Tensor.of(logits.clone(), n, c), targets, dt));
        Fixture.assertClose(name + " tensor grad", d, dt.data(), 0, 0);
    }

    @Test
    void crossEntropySumFormScalesTheGradient() {
        Fixture f = Fixture.load("loss_ce");
        int n = f.ints("shape")[0];
        int c = f.ints("shape")[1];
        CrossEntropyLoss ce = new CrossEntropyLoss();
        float[] logits = f.floats("logits");
        int[] targets = f.ints("targets");
        int count = ce.countCounted(targets, 0, n, c);
        float[] d = new float[n * c];
        double sum = ce.sumLossAndGrad(logits, 0, n, c, targets, 0, d, 0, 1.0 / count);
        Fixture.assertClose("sum / count", new double[] {f.num("loss")}, new double[] {sum / count}, RTOL, 0);
        Fixture.assertClose("grad", f.doubles("grad"), Fixture.toDouble(d), RTOL, ATOL);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        float[] logits = {1000f, 0f, -1000f, 1e30f, 1e30f, -1e30f};
        float[] d = new float[6];
        double loss = ce.lossAndGrad(logits, 0, 2, 3, new int[] {1, 0}, 0, d, 0);
        // Row 0: -log softmax = 1000; row 1: two equal maxima, log 2.
        assertEquals((1000 + Math.log(2)) / 2, loss, 1e-9);
        for (float x : d) assertTrue(Float.isFinite(x), Arrays.toString(d));
        assertEquals(0.5f, d[0], 1e-7);
        assertEquals(-0.5f, d[1], 1e-7);
        assertEquals(-0.25f, d[3], 1e-7);
        assertEquals(0.25f, d[4], 1e-7);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        int n = 4;
        int c = 6;
        float[] logits = new float[n * c];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (rnd.nextGaussian() * 2);
        int[] targets = {5, -100, 0, 2};
        CrossEntropyLoss ce = new CrossEntropyLoss();
        float[] d = new float[n * c];
        ce.lossAndGrad(logits, 0, n, c, targets, 0, d, 0);
        for (int i = 0; i < logits.length; i++) {
            // Central difference in double on a copy promoted to double precision via the float grid.
            float saved = logits[i];
            double h = 1e-2;
            logits[i] = (float) (saved + h);
            double up = ce.loss(logits, 0, n, c, targets, 0);
            double hUp = logits[i] - saved;
            logits[i] = (float) (saved - h);
            double down = ce.loss(logits, 0, n, c, targets, 0);
            double hDown = saved - logits[i];
            logits[i] = saved;
            double numeric = (up - down) / (hUp + hDown);
            assertEquals(numeric, d[i], 2e-4, "dLogits[" + i + "]");
        }
    }

    @Test
    void crossEntropyWithAllRowsIgnoredIsZeroNotNaN() {
        CrossEntropyLoss ce = new CrossEntropyLoss(0);
        float[] d = new float[6];
        Arrays.fill(d, 7f);
        assertEquals(0.0, ce.lossAndGrad(new float[] {1, 2, 3, 4, 5, 6}, 0, 2, 3, new int[] {0, 0}, 0, d, 0));
        for (float x : d) assertEquals(0f, x);
        assertEquals(0, ce.countCounted(new int[] {0, 0}, 0, 2, 3));
    }

    @Test
    void crossEntropyNamesTheRowOfABadTargetAndWritesNothing() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        float[] d = new float[9];
        Arrays.fill(d, 7f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.lossAndGrad(new float[9], 0, 3, 3, new int[] {0, 1, 3}, 0, d, 0));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("is 3")
                && e.getMessage().contains("[0, 3)") && e.getMessage().contains("-100"), e.getMessage());
        for (float x : d) assertEquals(7f, x);
        e = assertThrows(IllegalArgumentException.class,
                () -> ce.loss(new float[9], 0, 3, 3, new int[] {0, -1, 1}, 0));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class,
                () -> ce.lossAndGrad(Tensor.zeros(3, 3), new int[] {0, 1}, null));
        assertTrue(s.getMessage().contains("targets"), s.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ce.loss(new float[8], 0, 3, 3, new int[] {0, 1, 1}, 0));
        assertTrue(e.getMessage().contains("logits"), e.getMessage());
    }
}
