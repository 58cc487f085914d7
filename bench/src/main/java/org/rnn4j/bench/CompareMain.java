package org.rnn4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.rnn4j.kernel.Parallel;
import org.rnn4j.nn.CellKind;

/**
 * The rnn4j side of tools/bench/compare_torch.py: times the same training step (or, for S4, the same
 * streaming inference step) that the script times in PyTorch, and prints one JSON line.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnn4j.bench.CompareMain \
 *        --cell lstm --workload S1 --threads 1 --steps 20 --warmup-seconds 4
 * </pre>
 *
 * The JIT reaches full Vector API speed only after a few seconds of calls, so the warm-up is by time
 * (at least --warmup-seconds of both wall and process CPU time, and at least 3 steps), not by a step
 * count. Reported: the median of the per-step wall times (robust
 * to a neighbour's load spike), the mean, the process CPU time per step, and the bytes the timing
 * thread allocated per step (must be 0: nothing is allocated in steady state).
 */
public final class CompareMain {
    private CompareMain() {}

    public static void main(String[] args) {
        String cell = "lstm", workload = "S1";
        int threads = 1, steps = 20;
        double warmupSeconds = 4;
        boolean noOptimizer = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--cell" -> cell = value(args, ++i, a);
                case "--workload" -> workload = value(args, ++i, a);
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--steps" -> steps = Integer.parseInt(value(args, ++i, a));
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value(args, ++i, a));
                case "--no-optimizer" -> noOptimizer = true;
                default -> {
                    System.err.println("unknown argument '" + a + "'; expected --cell, --workload, --threads, --steps, --warmup-seconds, --no-optimizer");
                    System.exit(2);
                }
            }
        }
        Parallel.configure(threads);
        CellKind kind = CellKind.parse(cell);
        Workload w = Workload.valueOf(workload);
        boolean inference = w == Workload.S4;
        Runnable step;
        if (inference) {
            InferenceStep s = new InferenceStep(kind, w, 42);
            step = s::run;
        } else {
            TrainingStep s = new TrainingStep(kind, w, 42);
            boolean fb = noOptimizer;
            step = () -> {
                if (fb) s.forwardBackward();
                else s.run();
            };
        }
        // inference steps take microseconds: time blocks of them
        int block = inference ? 200 : 1;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // Warm up by CPU time as well as wall time: on a shared machine the JIT's compiler threads get
        // a fraction of the wall clock, and code still running in C1 boxes every vector (allocating).
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long cpuStart = os.getProcessCpuTime(), cpuNeeded = (long) (warmupSeconds * 1e9);
        int warm = 0;
        while (warm < 3 || System.nanoTime() < warmEnd || os.getProcessCpuTime() - cpuStart < cpuNeeded) {
            for (int i = 0; i < block; i++) step.run();
            warm++;
        }
        var threadsBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        double[] ms = new double[steps];
        long alloc0 = threadsBean.getThreadAllocatedBytes(self);
        long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long a = System.nanoTime();
            for (int i = 0; i < block; i++) step.run();
            ms[s] = (System.nanoTime() - a) / 1e6 / block;
        }
        double meanMs = (System.nanoTime() - t0) / 1e6 / steps / block;
        double allocPerStep = (threadsBean.getThreadAllocatedBytes(self) - alloc0) / (double) steps / block;
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / steps / block;
        Arrays.sort(ms);
        double median = ms[steps / 2];
        double flops = inference ? w.inferenceStepFlops(kind) : w.trainingFlops(kind);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"rnn4j\", \"cell\": \"%s\", \"workload\": \"%s\", \"threads\": %d, \"steps\": %d, "
                        + "\"optimizer\": %s, \"ms_per_step\": %.4f, \"mean_ms_per_step\": %.4f, \"cpu_ms_per_step\": %.4f, "
                        + "\"gflops\": %.2f, \"alloc_bytes_per_step\": %.1f}",
                cell, workload, threads, steps * block, !noOptimizer && !inference, median, meanMs, cpuMs,
                flops / (median * 1e6), allocPerStep));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
