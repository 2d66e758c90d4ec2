package dev.servesim.cli;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Routes the library modules' {@code System.Logger} output (java.util.logging) to stderr as one line per message. */
final class ConsoleLogging {

    // Held here because java.util.logging keeps loggers weakly: a level set on a logger that nothing references is
    // lost when the logger is collected.
    private static final Logger GUICE = Logger.getLogger("com.google");
    // Jetty (the prometheus endpoint) logs through SLF4J, which slf4j-jdk14 sends here. It warns about malformed
    // requests ("Bad Authority", repeated Host headers): any client could fill stderr, so only its errors show.
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    private ConsoleLogging() {}

    static void install(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(verbose ? Level.FINE : Level.INFO);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String message = formatMessage(record);
                String level = record.getLevel().intValue() >= Level.WARNING.intValue()
                        ? record.getLevel().getName().toLowerCase(Locale.ROOT) + ": " : "";
                return "servesim: " + level + message + System.lineSeparator();
            }
        });
        root.addHandler(handler);
        root.setLevel(verbose ? Level.FINE : Level.INFO);
        // third-party libraries stay quiet unless they warn
        GUICE.setLevel(Level.WARNING);
        JETTY.setLevel(Level.SEVERE);
    }
}
