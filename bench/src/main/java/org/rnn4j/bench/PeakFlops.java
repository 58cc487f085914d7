package org.rnn4j.bench;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA peak as the JVM reaches it: independent register-only fused multiply-adds
 * on the widest vectors, no memory traffic. Prints GFLOP/s on 1 thread and on N threads at once; the
 * "% of peak" columns of docs/benchmarks.md divide by the 1-thread (or N-thread) figure.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnn4j.bench.PeakFlops 2
 * </pre>
 */
public final class PeakFlops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PeakFlops() {}

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int round = 0; round < 3; round++) fmaLoop(20_000_000L);  // warm up: C2 compiles the loop
        System.out.println(String.format(Locale.ROOT, "{\"threads\": 1, \"lanes\": %d, \"gflops\": %.1f}", S.length(), measure(1)));
        if (threads > 1) {
            System.out.println(String.format(Locale.ROOT, "{\"threads\": %d, \"lanes\": %d, \"gflops\": %.1f}", threads, S.length(), measure(threads)));
        }
    }

    /**
     * Sum over threads of each thread's flops per second of its own CPU time: on a shared machine the
     * wall clock counts the time neighbours hold the core, the thread's CPU time does not.
     */
    private static double measure(int threads) throws InterruptedException {
        long iterations = 100_000_000L;
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            Thread[] ts = new Thread[threads];
            double[] rates = new double[threads];
            for (int i = 0; i < threads; i++) {
                int id = i;
                ts[i] = new Thread(() -> {
                    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    long c0 = mx.getCurrentThreadCpuTime();
                    fmaLoop(iterations);
                    rates[id] = iterations * 12.0 * S.length() * 2 / ((mx.getCurrentThreadCpuTime() - c0) / 1e9) / 1e9;
                });
                ts[i].start();
            }
            for (Thread t : ts) t.join();
            double sum = 0;
            for (double r : rates) sum += r;
            best = Math.max(best, sum);
        }
        return best;
    }

    /** 12 independent accumulator chains: enough to cover the FMA latency of two pipes. */
    private static float fmaLoop(long n) {
        FloatVector x = FloatVector.broadcast(S, 0.999f), y = FloatVector.broadcast(S, 1e-3f);
        FloatVector a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (long i = 0; i < n; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }
}
