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
import org.openjdk.jmh.infra.Blackhole;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.kernel.Parallel;
import org.rnn4j.tensor.Rng;

/**
 * GEMM throughput on the shapes a recurrent step produces (M = batch 32–64, K = H 256–1024,
 * N = gates×H 1024–2048), a square, and batch-1 inference. GFLOP/s = 2·M·N·K / time.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark -p threads=1
 * </pre>
 * Variants: nn = A·B (forward), tn = Aᵀ·B (weight gradients), nt = A·Bᵀ.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*"})
public class GemmBenchmark {
    /** M x N x K. */
    @Param({"32x1024x256", "64x1024x256", "32x2048x512", "64x2048x512", "32x1024x1024", "64x2048x1024",
            "1024x1024x1024", "1x1024x256"})
    public String shape;

    @Param({"nn"})
    public String variant;

    @Param({"1"})
    public int threads;

    private int m, n, k;
    private float[] a, b, c;

    @Setup
    public void setup() {
        Parallel.configure(threads);
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        Rng rng = new Rng(1);
        a = TrainingStep.gaussian(m * k, rng);
        b = TrainingStep.gaussian(k * n, rng);
        c = new float[m * n];
    }

    @Benchmark
    public void gemm(Blackhole bh) {
        switch (variant) {
            case "nn" -> Gemm.nn(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
            case "tn" -> Gemm.tn(m, n, k, a, 0, m, b, 0, n, c, 0, n, false);
            case "nt" -> Gemm.nt(m, n, k, a, 0, k, b, 0, k, c, 0, n, false, null);
            default -> throw new IllegalArgumentException("variant must be nn, tn or nt, got " + variant);
        }
        bh.consume(c);
    }
}
