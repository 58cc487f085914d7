package org.rnn4j.apps.gradlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;
import org.rnn4j.nn.CellKind;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.SequenceModel;

class LabTrainerTest {

    private static LabConfig config(GradlabTask task, String optimizer, double lr, long steps) {
        return new LabConfig(task, 8, 1, 4, optimizer, lr, steps, null, 5, 8, Init.PYTORCH, 0, 17);
    }

    @Test
    void anUpdateThatOverflowsIsCaughtAtItsStepAndTheModelKeepsItsLastFiniteWeights() {
        // SGD with lr 1e300 (inf in float): the first update sends the weights to ±inf
        LabConfig c = config(new AddingProblem(10), "sgd", 1e300, 20);
        RunResult r = LabTrainer.run(c, RunSpec.of(CellKind.RNN_TANH, 0), null);
        assertTrue(r.diverged());
        assertEquals(1, r.divergedAtStep());
        assertEquals(0, r.steps());
        assertTrue(r.divergedReason().contains("became inf/NaN"), r.divergedReason());
        assertTrue(Double.isNaN(r.testLoss()));
        assertTrue(Double.isFinite(r.lastFiniteTestLoss()), "the model is back at its initial weights");
        assertFalse(r.beatBaseline());
        for (double v : r.flowFinal().hiddenNorms()) assertTrue(Double.isFinite(v));
    }

    @Test
    void anExplodingLossIsCaughtAtTheStepWhereItHappensNotCarried() {
        // a tanh RNN with recurrent spectral radius 3 under plain SGD with a large step: the gradient
        // norm is huge from the start and the weights and the loss blow up within a few steps
        LabConfig c = new LabConfig(new AddingProblem(30), 16, 1, 8, "sgd", 2.0, 200, null, 50, 8, Init.PYTORCH, 0, 3);
        RunResult r = LabTrainer.run(c, new RunSpec("boom", CellKind.RNN_TANH, 0, 0, 3), null);
        assertTrue(r.diverged(), "expected divergence");
        assertEquals(r.steps() + 1, r.divergedAtStep());
        assertEquals(r.steps(), r.trainLoss().length, "no non-finite value is recorded");
        for (float v : r.trainLoss()) assertTrue(Float.isFinite(v));
        for (float v : r.gradNorm()) assertTrue(Float.isFinite(v));
        for (double v : r.evalLoss()) assertTrue(Double.isFinite(v));
    }

    @Test
    void clippingKeepsTheSameRunFinite() {
        LabConfig c = new LabConfig(new AddingProblem(30), 16, 1, 8, "sgd", 2.0, 200, null, 50, 8, Init.PYTORCH, 0, 3);
        RunResult byNorm = LabTrainer.run(c, new RunSpec("norm", CellKind.RNN_TANH, 0.01, 0, 3), null);
        RunResult byValue = LabTrainer.run(c, new RunSpec("value", CellKind.RNN_TANH, 0, 0.001, 3), null);
        for (RunResult r : List.of(byNorm, byValue)) {
            assertFalse(r.diverged(), r.spec().name() + ": " + r.divergedReason());
            assertEquals(200, r.steps());
            assertTrue(Double.isFinite(r.testLoss()));
        }
    }

    @Test
    void spectralRadiusIsSetExactly() {
        LabConfig c = config(new AddingProblem(10), "adam", 1e-3, 1);
        SequenceModel m = LabTrainer.newModel(c, new RunSpec("r", CellKind.RNN_TANH, 0, 0, 2.5), 1);
        // 2.5 Q with Q orthogonal: W^T W = 6.25 I
        float[] w = m.parameters().value("rnn.weight_hh_l0").data();
        int h = 8;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < h; j++) {
                double dot = 0;
                for (int k = 0; k < h; k++) dot += (double) w[k * h + i] * w[k * h + j];
                assertEquals(i == j ? 6.25 : 0, dot, 1e-4);
            }
        }
    }

    @Test
    void forgetBiasSetsTheKeepGateOfLstmAndGru() {
        LabConfig c = new LabConfig(new AddingProblem(10), 8, 2, 4, "adam", 1e-3, 1, null, 5, 8, Init.PYTORCH, 0, 1, 4.0);
        for (CellKind k : new CellKind[] {CellKind.LSTM, CellKind.GRU}) {
            SequenceModel m = LabTrainer.newModel(c, RunSpec.of(k, 0), 1);
            for (int layer = 0; layer < 2; layer++) {
                float[] ih = m.parameters().value("rnn.bias_ih_l" + layer).data(), hh = m.parameters().value("rnn.bias_hh_l" + layer).data();
                for (int j = 0; j < 8; j++) {
                    assertEquals(4f, ih[8 + j], k + " b_ih of the second gate");
                    assertEquals(0f, hh[8 + j], k + " b_hh of the second gate");
                    assertTrue(ih[j] != 4f && ih[16 + j] != 4f, k + " the other gates keep their initial biases");
                }
            }
        }
        SequenceModel rnn = LabTrainer.newModel(c, RunSpec.of(CellKind.RNN_TANH, 0), 1);
        SequenceModel plain = LabTrainer.newModel(config(c.task(), "adam", 1e-3, 1), RunSpec.of(CellKind.RNN_TANH, 0), 1);
        assertEquals(8 * 2 + 8 * 8, rnn.parameters().value("rnn.weight_ih_l0").size() + rnn.parameters().value("rnn.weight_hh_l0").size());
        assertArrayEquals(plain.parameters().value("rnn.bias_ih_l0").data(), rnn.parameters().value("rnn.bias_ih_l0").data(),
                "no keep gate in a tanh RNN");
    }

    @Test
    void aRunReplaysExactlyFromItsSeedAndEveryCellSeesTheSameData() {
        LabConfig c = config(new CopyMemory(3), "adam", 1e-2, 12);
        RunResult a = LabTrainer.run(c, RunSpec.of(CellKind.GRU, 0), null);
        RunResult b = LabTrainer.run(c, RunSpec.of(CellKind.GRU, 0), null);
        assertArrayEquals(a.trainLoss(), b.trainLoss());
        assertArrayEquals(a.flowFinal().hiddenNorms(), b.flowFinal().hiddenNorms());
        assertEquals(a.testLoss(), b.testLoss());
        RunResult lstm = LabTrainer.run(c, RunSpec.of(CellKind.LSTM, 0), null);
        assertEquals(a.baselineTest(), lstm.baselineTest(), "same test set");
        LabConfig other = new LabConfig(c.task(), 8, 1, 4, "adam", 1e-2, 12, null, 5, 8, Init.PYTORCH, 0, 18);
        assertFalse(java.util.Arrays.equals(a.trainLoss(), LabTrainer.run(other, RunSpec.of(CellKind.GRU, 0), null).trainLoss()));
    }

    @Test
    void budgetsAndEvaluations() {
        LabConfig c = config(new AddingProblem(6), "adam", 1e-2, 12);
        List<Long> evals = new ArrayList<>();
        RunResult r = LabTrainer.run(c, RunSpec.of(CellKind.LSTM, 1.0), new LabTrainer.Listener() {
            @Override
            public void onEval(long step, double testLoss) {
                evals.add(step);
            }
        });
        assertEquals(12, r.steps());
        assertEquals(List.of(5L, 10L, 12L), evals);
        assertArrayEquals(new long[] {0, 5, 10, 12}, r.evalSteps(), "the test loss at the start, every 5 steps and at the end");
        assertEquals(3, r.flowHistory().size(), "at init and at each periodic evaluation");
        LabConfig timed = new LabConfig(c.task(), 8, 1, 4, "adam", 1e-2, 0, Duration.ofMillis(300), 5, 8, Init.PYTORCH, 0, 1);
        RunResult t = LabTrainer.run(timed, RunSpec.of(CellKind.GRU, 0), null);
        assertTrue(t.steps() > 0 && t.seconds() < 5, t.steps() + " steps in " + t.seconds() + " s");
        LabConfig early = new LabConfig(c.task(), 8, 1, 4, "adam", 1e-2, 1000, null, 5, 8, Init.PYTORCH, 10.0, 1);
        assertEquals(5, LabTrainer.run(early, RunSpec.of(CellKind.GRU, 0), null).steps(), "stops at the first evaluation below 10");
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportHasTheKeysScriptsRead() {
        GradlabTask task = new AddingProblem(9);
        LabConfig c = config(task, "adam", 1e-2, 3);
        List<RunResult> runs = new ArrayList<>();
        for (CellKind k : new CellKind[] {CellKind.RNN_TANH, CellKind.LSTM, CellKind.GRU}) runs.add(LabTrainer.run(c, RunSpec.of(k, 0), null));
        runs.add(LabTrainer.run(config(task, "sgd", 1e300, 3), new RunSpec("rnn-tanh+boom", CellKind.RNN_TANH, 0, 0, 0), null));
        Map<String, Object> report = (Map<String, Object>) Json.parse(Json.writePretty(LabReport.build("compare", c, runs, Map.of("x", 1))));
        assertEquals("adding", report.get("task"));
        assertEquals(9L, report.get("length"));
        assertEquals(1.0 / 6, (Double) report.get("baseline"), 1e-12);
        Map<String, Object> cells = (Map<String, Object>) report.get("cells");
        assertEquals(List.of("rnn-tanh", "lstm", "gru", "rnn-tanh+boom"), new ArrayList<>(cells.keySet()));
        for (String name : cells.keySet()) {
            Map<String, Object> cell = (Map<String, Object>) cells.get(name);
            for (String key : List.of("test_loss", "beat_baseline", "steps", "grad_norm_init", "grad_norm_final")) {
                assertTrue(cell.containsKey(key), name + " has " + key);
            }
            assertEquals(9, ((List<Object>) cell.get("grad_norm_init")).size());
            assertEquals(9, ((List<Object>) cell.get("grad_norm_final")).size());
            assertTrue(cell.get("beat_baseline") instanceof Boolean);
        }
        Map<String, Object> lstm = (Map<String, Object>) cells.get("lstm");
        assertEquals(3L, lstm.get("steps"));
        assertTrue(lstm.get("test_loss") instanceof Double);
        assertNull(lstm.get("diverged_at_step"));
        Map<String, Object> boom = (Map<String, Object>) cells.get("rnn-tanh+boom");
        assertNull(boom.get("test_loss"), "JSON has no NaN: a diverged run's loss is null");
        assertEquals(1L, boom.get("diverged_at_step"));
        assertNotNull(boom.get("diverged_reason"));
        assertEquals(1L, ((Map<String, Object>) report.get("settings")).get("x"));
    }

    @Test
    void badConfigsAreNamed() {
        GradlabTask t = new AddingProblem(5);
        assertEquals("a budget is needed: maxSteps > 0 or a timeBudget, got neither", assertThrows(IllegalArgumentException.class,
                () -> new LabConfig(t, 8, 1, 4, "adam", 1e-3, 0, null, 5, 8, Init.PYTORCH, 0, 1)).getMessage());
        assertEquals("hidden must be > 0, got 0", assertThrows(IllegalArgumentException.class,
                () -> new LabConfig(t, 0, 1, 4, "adam", 1e-3, 1, null, 5, 8, Init.PYTORCH, 0, 1)).getMessage());
        assertEquals("clipNorm must be >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> new RunSpec("x", CellKind.LSTM, -1, 0, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabTrainer.run(config(t, "adamax", 1e-3, 1),
                RunSpec.of(CellKind.LSTM, 0), null)).getMessage().contains("unknown optimizer"));
    }
}
