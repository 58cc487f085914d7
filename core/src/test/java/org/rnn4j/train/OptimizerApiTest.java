package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.Parameters;

/** Configs, the factory, learning-rate changes and state checks. */
class OptimizerApiTest {

    static Parameters params(int n) {
        Parameters.Builder b = Parameters.builder();
        b.add("w", n);
        return b.build();
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0, false), Adam.Config.defaults());
        assertEquals(new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 1e-2, false), AdamW.Config.defaults());
        assertEquals(new RmsProp.Config(1e-2, 0.99, 1e-8, 0, 0, false), RmsProp.Config.defaults());
        assertEquals(new Adagrad.Config(1e-2, 0, 0, 0, 1e-10), Adagrad.Config.defaults());
        assertEquals(new Sgd.Config(0.1, 0, 0, 0, false), Sgd.Config.of(0.1));
    }

    @Test
    void configsNameTheBadFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Adam.Config.defaults().withBetas(0.9, 1.0));
        assertTrue(e.getMessage().contains("beta2") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.Config.of(-0.1));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.Config.of(0.1).withNesterov(true));
        assertTrue(e.getMessage().contains("nesterov"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RmsProp.Config.defaults().withEps(Double.NaN));
        assertTrue(e.getMessage().contains("eps") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adagrad.Config.defaults().withLrDecay(-1));
        assertTrue(e.getMessage().contains("lrDecay"), e.getMessage());
    }

    @Test
    void factoryBuildsEachOptimizer() {
        Parameters p = params(4);
        assertInstanceOf(Sgd.class, Optimizers.create("sgd", 0.1, 0.9, 0, p));
        assertEquals(0.9, ((Sgd) Optimizers.create("SGD", 0.1, 0.9, 0, p)).config().momentum());
        assertEquals(new Adam.Config(0.002, 0.9, 0.999, 1e-8, 1e-4, false),
                ((Adam) Optimizers.create("adam", 0.002, 0, 1e-4, p)).config());
        assertEquals(0.05, ((AdamW) Optimizers.create("adamw", 1e-3, 0, 0.05, p)).config().weightDecay());
        assertEquals(0.5, ((RmsProp) Optimizers.create("rmsprop", 1e-3, 0.5, 0, p)).config().momentum());
        assertInstanceOf(Adagrad.class, Optimizers.create("adagrad", 0.1, 0, 0, p));
        for (String name : Optimizers.NAMES) assertEquals(name, Optimizers.create(name, 0.1, 0, 0, p).name());
    }

    @Test
    void factoryErrorsListTheValidNames() {
        Parameters p = params(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("adamax", 0.1, 0, 0, p));
        assertTrue(e.getMessage().contains("adamax") && e.getMessage().contains("sgd, adam, adamw, rmsprop, adagrad"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", 0.1, 0.9, 0, p));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    }

    @Test
    void learningRateChangesTakeEffectOnTheNextStep() {
        Parameters p = params(1);
        Optimizer opt = new Sgd(Sgd.Config.of(0.5), p);
        p.grads()[0] = 1f;
        opt.step(p);
        assertEquals(-0.5f, p.values()[0]);
        opt.setLearningRate(0.25);
        assertEquals(0.25, opt.learningRate());
        opt.step(p);
        assertEquals(-0.75f, p.values()[0]);
        assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(Double.NaN));
    }

    @Test
    void stepRejectsAForeignParameterBuffer() {
        Optimizer opt = new Adam(Adam.Config.defaults(), params(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.step(params(4)));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void loadStateChecksKeysAndLengthsAndChangesNothingOnError() {
        Optimizer opt = new Adam(Adam.Config.defaults().withAmsgrad(true), params(3));
        assertEquals(List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(opt.state().keySet()));
        Map<String, float[]> bad = new HashMap<>(opt.state());
        bad.remove("max_exp_avg_sq");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(7, bad));
        assertTrue(e.getMessage().contains("max_exp_avg_sq"), e.getMessage());
        Map<String, float[]> shortOne = new HashMap<>(opt.state());
        shortOne.put("exp_avg", new float[] {1f, 2f});
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(7, shortOne));
        assertTrue(e.getMessage().contains("exp_avg") && e.getMessage().contains("expected 3"), e.getMessage());
        assertEquals(0, opt.steps());
        // state() is a copy: changing it does not change the optimizer.
        opt.state().get("exp_avg")[0] = 5f;
        assertEquals(0f, opt.state().get("exp_avg")[0]);
    }

    @Test
    void adagradStartsFromTheInitialAccumulator() {
        Optimizer opt = new Adagrad(Adagrad.Config.defaults().withInitialAccumulatorValue(0.25), params(2));
        assertEquals(0.25f, opt.state().get("sum")[1]);
    }
}
