package org.rnn4j.apps.gradlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Rng;
import org.rnn4j.train.CrossEntropyLoss;
import org.rnn4j.train.MseLoss;

class TasksTest {

    @Test
    void addingHasTwoMarkersOneInEachHalfAndTheSumAsTarget() {
        AddingProblem task = new AddingProblem(11);
        TaskBatch b = task.newBatch(500);
        task.fill(b, new Rng(3));
        int[] firstHalfHits = new int[5], secondHalfHits = new int[6];
        for (int i = 0; i < b.batch; i++) {
            int first = -1, second = -1;
            for (int t = 0; t < 11; t++) {
                float v = b.x[(i * 11 + t) * 2], m = b.x[(i * 11 + t) * 2 + 1];
                assertTrue(v >= 0 && v < 1, "value in [0, 1): " + v);
                if (m == 1f) {
                    if (first < 0) first = t;
                    else if (second < 0) second = t;
                    else throw new AssertionError("sequence " + i + " has a third marker at " + t);
                } else {
                    assertEquals(0f, m, "marker channel is 0 or 1");
                }
            }
            assertTrue(first >= 0 && first < 5, "first marker in [0, 5): " + first);
            assertTrue(second >= 5 && second < 11, "second marker in [5, 11): " + second);
            firstHalfHits[first]++;
            secondHalfHits[second - 5]++;
            assertEquals(b.x[(i * 11 + first) * 2] + b.x[(i * 11 + second) * 2], b.sums[i], 0f);
        }
        for (int h : firstHalfHits) assertTrue(h > 50, "every first-half position is drawn: " + Arrays.toString(firstHalfHits));
        for (int h : secondHalfHits) assertTrue(h > 40, "every second-half position is drawn: " + Arrays.toString(secondHalfHits));
    }

    @Test
    void addingBaselineIsOneSixth() {
        AddingProblem task = new AddingProblem(50);
        assertEquals(1.0 / 6, task.baseline(), 1e-15);
        TaskBatch b = task.newBatch(20_000);
        task.fill(b, new Rng(11));
        double mean = 0;
        for (float s : b.sums) mean += s / (double) b.batch;
        // the mean of two U(0,1) is 1 (sd of the estimate 0.003); the MSE of answering 1 is 1/6 (sd 0.0014)
        assertEquals(1.0, mean, 0.012);
        assertEquals(1.0 / 6, task.baselineLoss(b), 0.006);
        // and no constant does better than the mean: answering 0.9 or 1.1 costs 0.01 more
        float[] out = new float[b.batch * 50];
        for (int i = 0; i < b.batch; i++) out[i * 50 + 49] = 1.1f;
        assertEquals(task.baselineLoss(b) + 0.01, task.lossAndGrad(out, b, null), 0.003);
    }

    @Test
    void addingLossIsMseOfTheLastStepWithGradientOnlyThere() {
        AddingProblem task = new AddingProblem(4);
        TaskBatch b = task.newBatch(3);
        task.fill(b, new Rng(1));
        float[] out = new float[12];
        Rng r = new Rng(2);
        for (int i = 0; i < out.length; i++) out[i] = r.nextFloat() * 2;
        float[] d = new float[12];
        double loss = task.lossAndGrad(out, b, d);
        float[] last = {out[3], out[7], out[11]}, dLast = new float[3];
        assertEquals(MseLoss.lossAndGrad(last, 0, b.sums, 0, 3, dLast, 0), loss, 1e-12);
        assertArrayEquals(new float[] {0, 0, 0, dLast[0], 0, 0, 0, dLast[1], 0, 0, 0, dLast[2]}, d);
    }

    @Test
    void copyLayoutIsSymbolsBlanksDelimiterBlanksAndTargetsTheSymbolsAtTheEnd() {
        int t = 7, s = t + 20;
        CopyMemory task = new CopyMemory(t);
        assertEquals(s, task.sequenceLength());
        TaskBatch b = task.newBatch(400);
        task.fill(b, new Rng(5));
        int[] counts = new int[9];
        for (int i = 0; i < b.batch; i++) {
            for (int step = 0; step < s; step++) {
                int hot = -1;
                for (int k = 0; k < 10; k++) {
                    float v = b.x[(i * s + step) * 10 + k];
                    if (v == 1f) {
                        assertEquals(-1, hot, "one-hot");
                        hot = k;
                    } else {
                        assertEquals(0f, v);
                    }
                }
                int label = b.labels[i * s + step];
                if (step < 10) {
                    assertTrue(hot >= 1 && hot <= 8, "data symbol a1..a8 at step " + step + ": " + hot);
                    counts[hot]++;
                    assertEquals(hot, b.labels[i * s + t + 10 + step], "copied to step T+10+" + step);
                } else if (step == t + 9) {
                    assertEquals(9, hot, "delimiter at step T+9");
                } else {
                    assertEquals(0, hot, "blank at step " + step);
                }
                if (step < t + 10) assertEquals(0, label, "blank target at step " + step);
            }
        }
        for (int k = 1; k <= 8; k++) assertEquals(500, counts[k], 90, "symbol " + k + " is drawn 1/8 of the time");
    }

    @Test
    void copyBaselineIsTheLossOfTheBestMemorylessGuess() {
        for (int t : new int[] {1, 10, 100}) {
            CopyMemory task = new CopyMemory(t);
            assertEquals(10 * Math.log(8) / (t + 20), task.baseline(), 1e-15);
            TaskBatch b = task.newBatch(16);
            task.fill(b, new Rng(t));
            // blank with certainty for T+10 steps, then uniform over a1..a8
            int s = task.sequenceLength();
            float[] logits = new float[16 * s * 9];
            for (int i = 0; i < 16; i++) {
                for (int step = 0; step < s; step++) {
                    int o = (i * s + step) * 9;
                    if (step < t + 10) logits[o] = 60f;
                    else logits[o] = -60f;
                }
            }
            assertEquals(task.baseline(), task.lossAndGrad(logits, b, null), 1e-6);
            assertEquals(task.baseline(), task.baselineLoss(b), 0);
        }
    }

    @Test
    void copyLastStepLossIsTheCrossEntropyOfTheLastRows() {
        CopyMemory task = new CopyMemory(3);
        int s = task.sequenceLength();
        TaskBatch b = task.newBatch(4);
        task.fill(b, new Rng(9));
        float[] logits = new float[4 * s * 9];
        Rng r = new Rng(4);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
        float[] d = new float[logits.length];
        double loss = task.lastStepLossAndGrad(logits, b, d);
        float[] lastLogits = new float[4 * 9], dLast = new float[4 * 9];
        int[] lastLabels = new int[4];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(logits, (i * s + s - 1) * 9, lastLogits, i * 9, 9);
            lastLabels[i] = b.labels[i * s + s - 1];
        }
        assertEquals(new CrossEntropyLoss().lossAndGrad(lastLogits, 0, 4, 9, lastLabels, 0, dLast, 0), loss, 1e-9);
        for (int i = 0; i < 4; i++) {
            for (int step = 0; step < s; step++) {
                for (int k = 0; k < 9; k++) {
                    float expected = step == s - 1 ? dLast[i * 9 + k] : 0f;
                    assertEquals(expected, d[(i * s + step) * 9 + k], 1e-7f);
                }
            }
        }
    }

    @Test
    void generatorsAreSeeded() {
        for (GradlabTask task : new GradlabTask[] {new AddingProblem(20), new CopyMemory(5)}) {
            TaskBatch a = task.newBatch(8), b = task.newBatch(8), c = task.newBatch(8);
            task.fill(a, new Rng(42));
            task.fill(b, new Rng(42));
            task.fill(c, new Rng(43));
            assertArrayEquals(a.x, b.x, task.name());
            assertFalse(Arrays.equals(a.x, c.x), task.name());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("length must be >= 2 for the adding problem, got 1",
                assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1)).getMessage());
        assertEquals("task must be adding or copy, got 'add'",
                assertThrows(IllegalArgumentException.class, () -> GradlabTask.of("add", 10)).getMessage());
        TaskBatch wrong = new CopyMemory(5).newBatch(2);
        assertThrows(IllegalArgumentException.class, () -> new AddingProblem(25).fill(wrong, new Rng(1)));
    }
}
