package org.rnn4j.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one fixed pool of kernel threads. Its size is set once at start-up ({@link #configure(int)}, the
 * CLI's {@code --threads N}); by default it uses every core the JVM sees.
 *
 * <p>Why not an {@code ExecutorService}: a recurrent step runs a GEMM of 50–100 µs, thousands of times
 * a second, and must not allocate. Submitting futures allocates and waking a parked thread costs tens
 * of microseconds. Here a call publishes a preallocated {@link Task} by bumping a generation counter;
 * workers spin briefly on it (they are usually still spinning from the previous call) and park only
 * after {@value #SPIN_NANOS} ns of idleness.
 *
 * <p>Parts are claimed, not assigned: the caller and the workers take the next unclaimed part from one
 * atomic counter until none is left. On a machine with more runnable threads than cores a worker may
 * not be scheduled for milliseconds; with fixed assignment every call would then wait for it (a 2-thread
 * training step was measured 10× slower than a 1-thread one under such load). With claiming, the caller
 * simply runs the parts nobody has taken, and waits only for parts a worker has actually started.
 *
 * <p>Only one caller uses the workers at a time. A second thread calling while the pool is busy does
 * not wait: {@link #run} runs all parts on that caller, so independent model passes on several threads
 * stay correct (and simply share the cores).
 */
public final class Parallel {
    /** A unit of parallel work: part {@code part} of {@code parts}, each part on one thread. */
    public interface Task {
        void run(int part, int parts);
    }

    private static final long SPIN_NANOS = 200_000;
    private static final Object LOCK = new Object();
    private static int configured = 0;  // 0 = not set: all cores
    private static volatile Parallel pool;

    private final Worker[] workers;     // size threads-1; the caller is the remaining thread
    private final AtomicInteger busy = new AtomicInteger();
    /** (generation << 32) | next unclaimed part of that generation's task. */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private Task task;                  // published by the write to claims that opens a generation
    private int parts;
    private volatile Throwable failure;

    private Parallel(int threads) {
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /**
     * Sets the number of kernel threads (including the caller). Call once, before the first parallel
     * kernel runs; later calls with the same value are no-ops.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws IllegalStateException    if the pool already runs with a different size
     */
    public static void configure(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        synchronized (LOCK) {
            Parallel p = pool;
            if (p != null && p.workers.length + 1 != threads) {
                throw new IllegalStateException("the kernel thread pool already runs with " + (p.workers.length + 1)
                        + " threads; configure(" + threads + ") must be called before the first parallel kernel");
            }
            configured = threads;
        }
    }

    /** The number of kernel threads (the configured value, or all cores). */
    public static int threads() {
        Parallel p = pool;
        if (p != null) return p.workers.length + 1;
        synchronized (LOCK) {
            return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
        }
    }

    private static Parallel pool() {
        Parallel p = pool;
        if (p != null) return p;
        synchronized (LOCK) {
            if (pool == null) pool = new Parallel(configured > 0 ? configured : Runtime.getRuntime().availableProcessors());
            return pool;
        }
    }

    /**
     * Runs {@code task.run(i, parts)} for i in [0, parts), each part once, on the calling thread and the
     * workers (whoever claims it first), and returns when all are done. {@code parts} must not exceed {@link #threads()}. If the workers are busy with
     * another caller's task, every part runs here, in order.
     */
    public static void run(Task task, int parts) {
        if (parts <= 1) {
            task.run(0, 1);
            return;
        }
        Parallel p = pool();
        if (parts > p.workers.length + 1) {
            throw new IllegalArgumentException("parts must be <= threads (" + (p.workers.length + 1) + "), got " + parts);
        }
        if (!p.busy.compareAndSet(0, 1)) {
            for (int i = 0; i < parts; i++) task.run(i, parts);
            return;
        }
        try {
            p.dispatch(task, parts);
        } finally {
            p.busy.set(0);
        }
    }

    private void dispatch(Task t, int n) {
        task = t;
        parts = n;
        failure = null;
        done.set(0);
        long gen = (claims.get() >>> 32) + 1;
        claims.set(gen << 32);  // volatile write: publishes task and parts, opens the claims
        for (int i = 0; i < n - 1; i++) {
            if (workers[i].parked) LockSupport.unpark(workers[i]);
        }
        Throwable mine = null;
        int part;
        while ((part = claim(gen)) >= 0) {
            try {
                t.run(part, n);
            } catch (Throwable e) {
                mine = e;
            }
            done.incrementAndGet();
        }
        long spins = 0;
        while (done.get() < n) {
            if (++spins < 1 << 14) Thread.onSpinWait();
            else Thread.yield();
        }
        task = null;
        Throwable theirs = failure;
        if (mine != null) sneakyThrow(mine);
        if (theirs != null) sneakyThrow(theirs);
    }

    /** The next unclaimed part of generation {@code gen}, or -1 when all are taken or a newer call began. */
    private int claim(long gen) {
        while (true) {
            long c = claims.get();
            if (c >>> 32 != gen) return -1;
            int next = (int) c;
            if (next >= parts) return -1;
            if (claims.compareAndSet(c, c + 1)) return next;
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    private final class Worker extends Thread {
        private final int id;
        volatile boolean parked;

        Worker(int id) {
            super("rnn4j-kernel-" + id);
            this.id = id;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long g = claims.get() >>> 32;
                if (g == seen) {
                    long idleSince = System.nanoTime();
                    int spins = 0;
                    while ((g = claims.get() >>> 32) == seen) {
                        if ((++spins & 255) != 0) {
                            Thread.onSpinWait();
                        } else if (System.nanoTime() - idleSince > SPIN_NANOS) {
                            parked = true;
                            // re-check after announcing, so a dispatch between the check and park is not missed
                            if (claims.get() >>> 32 == seen) LockSupport.park(this);
                            parked = false;
                        }
                    }
                }
                seen = g;
                Task t = task;
                int n = parts;
                int part;
                // a claim succeeds only while generation g is open, so t and n are that generation's
                while (t != null && (part = claim(g)) >= 0) {
                    try {
                        t.run(part, n);
                    } catch (Throwable e) {
                        failure = e;
                    }
                    done.incrementAndGet();
                }
            }
        }
    }
}
