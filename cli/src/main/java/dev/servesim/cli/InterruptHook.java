package dev.servesim.cli;

import dev.servesim.runner.RunControl;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during a run asks it to stop; the JVM, which ends when the hook returns, waits (up to a minute)
 * until the command has written and printed what it has. {@link #close} says it has, and removes the hook when no
 * stop was asked for.
 */
final class InterruptHook implements AutoCloseable {

    private static final long WAIT_SECONDS = 60;

    private final RunControl control;
    private final CountDownLatch printed = new CountDownLatch(1);
    private final Thread hook;

    private InterruptHook(RunControl control) {
        this.control = control;
        this.hook = new Thread(() -> {
            control.requestStop();
            try {
                printed.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "servesim-interrupt");
    }

    /** Installs the hook for the run that {@code control} stops. */
    static InterruptHook install(RunControl control) {
        InterruptHook interruptHook = new InterruptHook(control);
        Runtime.getRuntime().addShutdownHook(interruptHook.hook);
        return interruptHook;
    }

    /** The command has written and printed what it has: a stop in progress may end the JVM. */
    @Override
    public void close() {
        if (!control.stopRequested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is let go below
            }
        }
        printed.countDown();
    }
}
