package dev.servesim.cli;

import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run's progress on stderr from a background thread: a bar redrawn in place on an interactive terminal, a
 * plain line every ten seconds otherwise. It only reads what the run publishes, so it cannot change results.
 */
final class ProgressReporter implements AutoCloseable {

    private static final int BAR_WIDTH = 24;

    private final RunControl control;
    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private boolean drawn;
    private boolean closed;

    ProgressReporter(RunControl control, PrintWriter err, boolean terminal) {
        this.control = control;
        this.err = err;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "servesim-progress");
            thread.setDaemon(true);
            return thread;
        });
        long period = terminal ? 200 : 10_000;
        timer.scheduleAtFixedRate(this::report, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void report() {
        if (closed) {
            return;
        }
        RunProgress progress = control.progress();
        double wall = (System.nanoTime() - startNanos) / 1e9;
        String line = line(progress, wall);
        if (terminal) {
            err.print("\r" + line + "\u001B[K");
            drawn = true;
        } else {
            err.println("servesim: " + line);
        }
        err.flush();
    }

    /** One progress line: bar (with a horizon), simulated time, requests, speed and ETA. */
    static String line(RunProgress progress, double wallSeconds) {
        double speed = wallSeconds > 0 ? progress.simulatedSeconds() / wallSeconds : 0;
        StringBuilder line = new StringBuilder();
        if (!Double.isNaN(progress.horizonSeconds()) && progress.horizonSeconds() > 0) {
            double fraction = Math.min(1, progress.simulatedSeconds() / progress.horizonSeconds());
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% ", 100 * fraction));
        }
        line.append(String.format(Locale.ROOT, "%,.1f s simulated, %,d of %,d requests done, %,.0fx",
                progress.simulatedSeconds(), progress.done(), progress.arrived(), speed));
        if (!Double.isNaN(progress.horizonSeconds()) && speed > 0) {
            double remaining = Math.max(0, progress.horizonSeconds() - progress.simulatedSeconds()) / speed;
            line.append(String.format(Locale.ROOT, ", ETA %.0f s", remaining));
        }
        return line.toString();
    }

    /** Stops reporting (no line is printed after this returns) and clears the bar; may be called again. */
    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        if (drawn) {
            err.print("\r\u001B[K");
            err.flush();
            drawn = false;
        }
    }
}
