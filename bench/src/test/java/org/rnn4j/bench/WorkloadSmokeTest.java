package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.nn.CellKind;

/** Smoke-sized checks that the benchmark workloads run and learn; no timing (speed is never asserted). */
class WorkloadSmokeTest {

    @Test
    void trainingStepsRunAndReduceTheLoss() {
        for (CellKind cell : new CellKind[] {CellKind.LSTM, CellKind.GRU, CellKind.RNN_TANH}) {
            TrainingStep step = new TrainingStep(cell, 4, 6, 5, 16, 2, 7);
            double first = step.run();
            double last = first;
            for (int i = 0; i < 30; i++) last = step.run();
            assertTrue(Double.isFinite(last) && last < first, cell + ": loss went from " + first + " to " + last);
        }
    }

    @Test
    void inferenceStepCarriesState() {
        InferenceStep step = new InferenceStep(CellKind.LSTM, Workload.S4, 3);
        float a = step.run(), b = step.run();
        assertTrue(Float.isFinite(a) && Float.isFinite(b));
        assertTrue(a != b, "the second step sees the carried state, so its output differs");
    }

    @Test
    void flopCountsMatchTheFormula() {
        // S1 LSTM: 6·T·B·4H·(I+H) − 2·T·B·4H·I
        double tb = 100 * 32, gh = 4 * 256;
        assertEquals(6 * tb * gh * (64 + 256) - 2 * tb * gh * 64, Workload.S1.trainingFlops(CellKind.LSTM), 1);
        assertEquals(2 * 1024 * (64 + 256), Workload.S4.inferenceStepFlops(CellKind.LSTM), 1);
    }
}
