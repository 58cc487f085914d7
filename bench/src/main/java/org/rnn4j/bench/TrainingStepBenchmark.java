package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.kernel.Parallel;
import org.rnn4j.nn.CellKind;

/**
 * A whole training step (forward + MSE + backward + Adam) through ModelPass, for LSTM, GRU and tanh
 * RNN at issue 3's shapes. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated
 * per step: it must be ≈ 0.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainingStepBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*"})
public class TrainingStepBenchmark {
    @Param({"lstm", "gru", "rnn-tanh"})
    public String cell;

    @Param({"S1", "S2", "S3"})
    public String shape;

    @Param({"1"})
    public int threads;

    private TrainingStep step;

    @Setup
    public void setup() {
        Parallel.configure(threads);
        step = new TrainingStep(CellKind.parse(cell), Workload.valueOf(shape), 42);
    }

    @Benchmark
    public double trainingStep() {
        return step.run();
    }
}
