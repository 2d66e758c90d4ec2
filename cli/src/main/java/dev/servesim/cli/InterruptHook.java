package dev.servesim.cli;

import dev.servesim.runner.RunControl;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a run (or a plan) asks it to stop; the JVM, which ends when the hook returns, waits (up to a minute)
 * until the command has written and printed what it has. {@link #close} says it has, and removes the hook when no
 * stop was asked for.
 */
final class InterruptHook implements AutoCloseable {

    private static final long WAIT_SECONDS = 60;

    private final AtomicBoolean asked = new AtomicBoolean();
    private final CountDownLatch printed = new CountDownLatch(1);
    private final Thread hook;

    private InterruptHook(Runnable stop) {
        this.hook = new Thread(() -> {
            asked.set(true);
            stop.run();
            try {
                printed.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "servesim-interrupt");
    }

    /** Installs the hook for the run that {@code control} stops. */
    static InterruptHook install(RunControl control) {
        return install(control::requestStop);
    }

    /** Installs a hook that calls {@code stop} (once) on Ctrl-C or SIGTERM. */
    static InterruptHook install(Runnable stop) {
        InterruptHook interruptHook = new InterruptHook(stop);
        Runtime.getRuntime().addShutdownHook(interruptHook.hook);
        return interruptHook;
    }

    /** The command has written and printed what it has: a stop in progress may end the JVM. */
    @Override
    public void close() {
        if (!asked.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is let go below
            }
        }
        printed.countDown();
    }
}
