package org.rnn4j.train;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns the first Ctrl-C (SIGINT) or {@code kill} (SIGTERM) into a polite request: the training loop
 * sees {@link #requested()}, finishes its step, writes a checkpoint and returns. A second signal
 * gets the JVM's usual behaviour (exit at once); that is safe because checkpoints are written
 * atomically.
 *
 * <p>The handler is installed with {@code sun.misc.Signal} (module {@code jdk.unsupported}, present
 * in every JDK we support), reached by reflection so the build has no internal-API warnings. Where
 * it is missing or refused, the stop can still be requested from code ({@link #request}), and the
 * run simply dies on a signal as before — it can still be resumed from its last checkpoint.
 *
 * <p>A signal that the process inherited as ignored (a job started with {@code nohup}, or in the
 * background of a non-interactive shell) stays ignored: the JVM does not let us handle it.
 *
 * <p>{@link #close()} restores the previous handlers, so tests can install and remove it in-process.
 */
public final class StopSignal implements AutoCloseable {
    /** The signal that asked for the stop, or "request" when it came from code; null while running. */
    private final AtomicReference<String> cause = new AtomicReference<>();
    private final List<Runnable> restore = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();

    private StopSignal() {}

    /** A stop request that only code can trigger (no OS handler); for tests and embedding. */
    public static StopSignal manual() {
        return new StopSignal();
    }

    /** Installs handlers for SIGINT and SIGTERM where the JVM allows it. */
    public static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : List.of("INT", "TERM")) s.tryHandle(name);
        return s;
    }

    /** True once a stop was asked for. */
    public boolean requested() {
        return cause.get() != null;
    }

    /** "SIGINT", "SIGTERM" or "request"; null while no stop was asked for. */
    public String cause() {
        return cause.get();
    }

    /** The exit code a command should return after stopping: 130 for SIGINT, 143 for SIGTERM, as a shell would. */
    public int exitCode() {
        return "SIGTERM".equals(cause.get()) ? 143 : 130;
    }

    /** Asks the loop to stop after its current step, as a signal would. */
    public void request() {
        cause.compareAndSet(null, "request");
    }

    /** The signals this instance handles ("INT", "TERM"); empty if none could be installed. */
    public List<String> handledSignals() {
        return List.copyOf(handled);
    }

    @Override
    public void close() {
        for (int i = restore.size() - 1; i >= 0; i--) restore.get(i).run();
        restore.clear();
    }

    private void tryHandle(String name) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            AtomicReference<Object> previous = new AtomicReference<>();
            InvocationHandler ih = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle" -> {
                        cause.compareAndSet(null, "SIG" + name);
                        // The next signal of this kind goes to the JVM's own handler: exit now.
                        try {
                            handle.invoke(null, signal, previous.get());
                        } catch (ReflectiveOperationException e) {
                            // Keep ours; a second signal is then just ignored.
                        }
                        return null;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "toString" -> {
                        return "rnn4j stop handler for SIG" + name;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            };
            Object ours = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, ih);
            Object old = handle.invoke(null, signal, ours);
            previous.set(old);
            Object ignored = handlerClass.getField("SIG_IGN").get(null);
            if (old == ignored) {
                // Inherited as ignored: the JVM did not install ours (see class comment); leave it so.
                handle.invoke(null, signal, old);
                return;
            }
            handled.add(name);
            restore.add(() -> {
                try {
                    handle.invoke(null, signal, old);
                } catch (ReflectiveOperationException e) {
                    // Nothing better to do when closing.
                }
            });
        } catch (InvocationTargetException e) {
            // The JVM refuses this signal (for example with -Xrs); stopping by code still works.
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // No sun.misc.Signal on this JVM.
        }
    }
}
