package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ModelConfig;
import org.rnn4j.nn.Parameters;
import org.rnn4j.nn.RecurrentConfig;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.tensor.Rng;

class DivergenceGuardTest {
    static SequenceModel model() {
        return SequenceModel.create(new ModelConfig(new RecurrentConfig(CellKind.GRU, 2, 4, 1, false, true, 0), 1, 0), Init.PYTORCH, 1);
    }

    /**
     * Rows whose target is the largest float make the head-bias gradient (a float32 sum of three values near
     * -2.3e38) overflow to -inf at exactly the steps that see them.
     */
    static FitLoop.Data data(int rows, boolean[] poisoned) {
        Rng r = new Rng(5);
        float[] x = new float[rows * 3 * 2];
        float[] y = new float[rows * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = poisoned[i / 3] ? Float.MAX_VALUE : (float) r.nextGaussian();
        return new FitLoop.Data(x, rows, 3, 2, y, null, null);
    }

    @Test
    void nonFiniteLossSkipsTheUpdateLowersTheRateAndReports() {
        boolean[] poisoned = {false, false, true, false, false, false};
        SequenceModel m = model();
        // batch size 1, no shuffle: step 3 of each epoch sees the poisoned row.
        FitConfig cfg = new FitConfig("mse", "sgd", 0.1, 0, 0, 2, 1, 0, 0, 0, false);
        List<String> notes = new ArrayList<>();
        FitLoop loop = new FitLoop(m, data(6, poisoned), cfg).listener(new FitLoop.Listener() {
            @Override
            public void epochDone(int epoch, double meanLoss, long steps) {
                assertTrue(Double.isFinite(meanLoss), "the skipped step is not in the mean");
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        });
        float[] before = null;
        while (!loop.done()) {
            if (loop.steps() == 2) before = m.parameters().values().clone();
            loop.step();
            if (loop.steps() == 3) assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(m.parameters().values()),
                    "the skipped step left the parameters alone");
        }
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("step 3: gradient norm is Infinity (loss ")
                && notes.get(0).contains("skipped this update and lowered the learning rate to 0.0500000"), notes.get(0));
        assertTrue(notes.get(1).startsWith("step 9: "), notes.get(1));
        assertEquals(0.025, loop.optimizer().learningRate(), 1e-15);
        assertEquals(10, loop.optimizer().steps());
        assertEquals(2, loop.guard().skipped());
    }

    @Test
    void stopsAfterFiveConsecutiveNamingTheStep() {
        boolean[] poisoned = {false, true, true, true, true, true, true};
        SequenceModel m = model();
        FitConfig cfg = new FitConfig("mse", "adam", 0.01, 0, 0, 1, 1, 1.0, 0, 0, false);
        FitLoop loop = new FitLoop(m, data(7, poisoned), cfg);
        DivergenceException e = assertThrows(DivergenceException.class, () -> FitLoop.fit(m, data(7, poisoned), cfg, null));
        assertEquals(6, e.step());
        assertTrue(e.getMessage().contains("at step 6, the 5th non-finite step in a row (since step 2)"), e.getMessage());
        for (float v : m.parameters().values()) assertTrue(Float.isFinite(v));
        assertFalse(loop.done());
    }

    @Test
    void anOverflowingUpdateIsCaughtBeforeAnythingIsSaved() {
        Parameters p = model().parameters();
        p.values()[3] = Float.POSITIVE_INFINITY;
        DivergenceGuard g = new DivergenceGuard(DivergenceGuard.Config.defaults(), null);
        DivergenceException e = assertThrows(DivergenceException.class, () -> g.checkParameters(12, p));
        assertTrue(e.getMessage().contains("update of step 12 made parameter rnn.weight_ih_l0 Infinity"), e.getMessage());
    }

    @Test
    void nanGradientNormWithFiniteLossIsSkippedAndTheRunOfFailuresResets() {
        Optimizer opt = Optimizers.create("sgd", 1.0, 0, 0, model().parameters());
        List<String> notes = new ArrayList<>();
        DivergenceGuard g = new DivergenceGuard(new DivergenceGuard.Config(0.1, 2), notes::add);
        assertFalse(g.admit(1, 0.5, Double.NaN, opt));
        assertTrue(notes.get(0).contains("gradient norm is NaN (loss 0.5)"), notes.get(0));
        assertTrue(g.admit(2, 0.5, 1.0, opt));
        assertFalse(g.admit(3, Double.NaN, 1.0, opt));
        assertEquals(0.01, opt.learningRate(), 1e-12);
        assertThrows(DivergenceException.class, () -> g.admit(4, Double.NaN, Double.NaN, opt));
    }
}
