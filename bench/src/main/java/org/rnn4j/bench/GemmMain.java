package org.rnn4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.rnn4j.kernel.Gemm;
import org.rnn4j.kernel.Parallel;
import org.rnn4j.tensor.Rng;

/**
 * GEMM GFLOP/s on one thread, timed by the thread's own CPU time: the figure GemmBenchmark gives on
 * a quiet machine, still meaningful on a shared one (where wall-clock JMH scores mostly measure the
 * neighbours). Batches of about 5 ms after a warm-up; prints the best and the median batch.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnn4j.bench.GemmMain \
 *        [nn|tn|nt] [MxNxK,...]
 * </pre>
 */
public final class GemmMain {
    private GemmMain() {}

    public static void main(String[] args) {
        String variant = args.length > 0 ? args[0] : "nn";
        String shapes = args.length > 1 ? args[1]
                : "32x1024x256,64x1024x256,32x2048x512,64x2048x512,32x1024x1024,64x2048x1024,1024x1024x1024,1x1024x256";
        Parallel.configure(1);
        var mx = ManagementFactory.getThreadMXBean();
        for (String shape : shapes.split(",")) {
            String[] p = shape.split("x");
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
            Rng rng = new Rng(1);
            float[] a = TrainingStep.gaussian(m * k, rng), b = TrainingStep.gaussian(k * n, rng), c = new float[m * n];
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) run(variant, m, n, k, a, b, c);
            long t0 = mx.getCurrentThreadCpuTime();
            run(variant, m, n, k, a, b, c);
            long one = Math.max(1, mx.getCurrentThreadCpuTime() - t0);
            int per = (int) Math.max(1, 5_000_000 / one);
            List<Double> times = new ArrayList<>();
            end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < per; i++) run(variant, m, n, k, a, b, c);
                times.add((mx.getCurrentThreadCpuTime() - t0) / (double) per);
            }
            Collections.sort(times);
            double flops = 2.0 * m * n * k, best = times.get(0), median = times.get(times.size() / 2);
            System.out.println(String.format(Locale.ROOT, "%s %-16s median %10.1f us %6.1f GFLOP/s   best %6.1f GFLOP/s",
                    variant, shape, median / 1e3, flops / median, flops / best));
        }
    }

    private static void run(String v, int m, int n, int k, float[] a, float[] b, float[] c) {
        switch (v) {
            case "nn" -> Gemm.nn(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
            case "tn" -> Gemm.tn(m, n, k, a, 0, m, b, 0, n, c, 0, n, false);
            case "nt" -> Gemm.nt(m, n, k, a, 0, k, b, 0, k, c, 0, n, false, null);
            default -> throw new IllegalArgumentException("variant must be nn, tn or nt, got " + v);
        }
    }
}
