package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.nn.Parameters;

/** Learning-rate schedules against torch.optim.lr_scheduler sequences. */
class ScheduleTest {

    // torch steps its schedulers recursively (lr *= gamma, ...); our closed forms agree to rounding.
    static final double RTOL = 1e-12;

    static void assertSequence(String what, LrSchedule s, double baseLr, double[] expected) {
        double[] actual = new double[expected.length];
        for (int epoch = 0; epoch < expected.length; epoch++) actual[epoch] = s.lr(epoch, baseLr);
        Fixture.assertClose(what, expected, actual, RTOL, 1e-15);
    }

    @Test
    void stepLr() {
        Fixture f = Fixture.load("schedules");
        assertSequence("StepLR", new StepLr((int) f.num("step.step_size"), f.num("step.gamma")),
                f.num("step.base_lr"), f.doubles("step.lrs"));
    }

    @Test
    void exponentialLr() {
        Fixture f = Fixture.load("schedules");
        assertSequence("ExponentialLR", new ExponentialLr(f.num("exp.gamma")), f.num("exp.base_lr"),
                f.doubles("exp.lrs"));
    }

    @Test
    void cosineLrIncludingPastTMax() {
        Fixture f = Fixture.load("schedules");
        assertSequence("CosineAnnealingLR", new CosineLr((int) f.num("cos.t_max"), f.num("cos.eta_min")),
                f.num("cos.base_lr"), f.doubles("cos.lrs"));
    }

    @Test
    void constant() {
        assertEquals(0.3, LrSchedule.constant().lr(17, 0.3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plateau", "plateau_cooldown", "plateau_default"})
    void reduceOnPlateau(String tag) {
        Fixture f = Fixture.load("schedules");
        ReduceOnPlateau.Config config = new ReduceOnPlateau.Config(f.num(tag + ".factor"),
                (int) f.num(tag + ".patience"), f.num(tag + ".threshold"), f.num(tag + ".min_lr"),
                (int) f.num(tag + ".cooldown"), f.num(tag + ".eps"));
        double[] metrics = f.doubles(tag + ".metrics");
        double[] expected = f.doubles(tag + ".lrs");
        ReduceOnPlateau s = new ReduceOnPlateau(config);
        double lr = f.num(tag + ".base_lr");
        double[] actual = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            lr = s.step(metrics[i], lr);
            actual[i] = lr;
        }
        Fixture.assertClose("ReduceLROnPlateau " + tag, expected, actual, RTOL, 0);
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(ReduceOnPlateau.Config.defaults(), new ReduceOnPlateau.Config(0.1, 10, 1e-4, 0, 0, 1e-8));
    }

    @Test
    void reduceOnPlateauDrivesAnOptimizerAndResumesFromItsState() {
        Fixture f = Fixture.load("schedules");
        double[] metrics = f.doubles("plateau_cooldown.metrics");
        double[] expected = f.doubles("plateau_cooldown.lrs");
        ReduceOnPlateau.Config config = new ReduceOnPlateau.Config(0.1, 1, 1e-4, 0, 2, 1e-8);
        Parameters.Builder b = Parameters.builder();
        b.add("w", 1);
        Optimizer opt = new Sgd(Sgd.Config.of(0.1), b.build());
        ReduceOnPlateau s = new ReduceOnPlateau(config);
        for (int i = 0; i < metrics.length; i++) {
            if (i == 9) { // checkpoint and resume halfway through a cooldown
                ReduceOnPlateau.State saved = s.state();
                s = new ReduceOnPlateau(config);
                s.loadState(saved);
            }
            boolean reduced = s.step(metrics[i], opt);
            assertEquals(expected[i], opt.learningRate(), 1e-15, "epoch " + (i + 1));
            assertEquals(reduced, i > 0 ? expected[i] < expected[i - 1] : expected[0] < 0.1, "reduced at " + i);
        }
    }

    @Test
    void configsNameTheBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLr(0, 0.5));
        assertTrue(e.getMessage().contains("stepSize") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineLr(10, -1));
        assertTrue(e.getMessage().contains("etaMin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.Config.of(1.0, 2, 1e-4, 0));
        assertTrue(e.getMessage().contains("factor") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLr(0.9).lr(-1, 0.1));
        assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    }
}
