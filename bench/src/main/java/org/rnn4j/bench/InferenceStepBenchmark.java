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
 * Streaming inference latency (S4: batch 1, I = 64, H = 256): one time step per operation, state
 * carried between operations.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar InferenceStepBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*"})
public class InferenceStepBenchmark {
    @Param({"lstm", "gru", "rnn-tanh"})
    public String cell;

    @Param({"1"})
    public int threads;

    private InferenceStep step;

    @Setup
    public void setup() {
        Parallel.configure(threads);
        step = new InferenceStep(CellKind.parse(cell), Workload.S4, 42);
    }

    @Benchmark
    public float inferenceStep() {
        return step.run();
    }
}
