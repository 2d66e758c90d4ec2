package dev.servesim.api;

/**
 * What every extension factory has: the name users write in the configuration, a one-line description, and the
 * record type its configuration section is bound to. Each extension kind adds one {@code create} method.
 *
 * <p>The runner binds the component's configuration section (minus the key that selects the factory) to
 * {@link #configType()} strictly: keys are snake_case, unknown keys fail. The record's compact constructor fills
 * defaults and rejects bad values (see {@link ConfigValues}), and {@link #resolve} completes what needs the factory;
 * binding an empty section must therefore produce the default configuration, or fail naming the required keys.
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

    /**
     * The effective configuration: {@code config}, as bound, completed with what only the factory can work out, such
     * as defaults that depend on a file the configuration names (a model's shapes) or the contents of that file. The
     * record stays plain data: its compact constructor checks values and fills the defaults it can fill alone, and
     * reading files happens here. The runner calls this once per bound section, before it prints, saves or uses the
     * configuration, and passes the result to {@code create}; it must therefore accept its own result again and
     * return it unchanged. Called on the thread that loads the configuration, possibly by several runs at once.
     * The default returns {@code config}.
     *
     * @throws ServesimException ({@link ErrorKind#CONFIG}) naming the key, as a compact constructor does
     */
    default C resolve(C config) {
        return config;
    }
}
