package dev.servesim.cli;

import java.util.List;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Routes the library modules' {@code System.Logger} output (java.util.logging) to stderr as one line per message. */
final class ConsoleLogging {

    // third-party libraries stay quiet unless they warn (Jetty logs through SLF4J, which slf4j-jdk14 sends here).
    // Held here because java.util.logging keeps loggers weakly: a level set on a logger that nothing references is
    // lost when the logger is collected.
    private static final List<Logger> THIRD_PARTY = List.of(Logger.getLogger("com.google"),
            Logger.getLogger("org.eclipse.jetty"));

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
        for (Logger library : THIRD_PARTY) {
            library.setLevel(Level.WARNING);
        }
    }
}
