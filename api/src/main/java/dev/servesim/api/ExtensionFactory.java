package dev.servesim.api;

/**
 * What every extension factory has: the name users write in the configuration, a one-line description, and the
 * record type its configuration section is bound to. Each extension kind adds one {@code create} method.
 *
 * <p>The runner binds the component's configuration section (minus the key that selects the factory) to
 * {@link #configType()} strictly: keys are snake_case, unknown keys fail. The record's compact constructor fills
 * defaults and rejects bad values (see {@link ConfigValues}); binding an empty section must therefore produce the
 * default configuration, or fail naming the required keys.
 *
 * @param <C> the configuration record type
 */
public interface ExtensionFactory<C extends Record> {

    /** Kebab-case name used in configuration files, unique per extension kind, e.g. {@code block-hash}. */
    String name();

    /** One line that says what this implementation does, for {@code servesim plugins}. */
    String description();

    /** The configuration record; its package must be exported by the plugin module. */
    Class<C> configType();
}
