package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

/**
 * A configured component: the factory its section selects, and the section bound to the factory's record.
 *
 * @param factory the selected factory
 * @param config an instance of the factory's {@code configType()}
 */
public record BoundComponent(RegisteredFactory factory, Record config) {

    public BoundComponent {
        requireNonNull(factory, "factory is null");
        requireNonNull(config, "config is null");
        if (!factory.factory().configType().isInstance(config)) {
            throw new IllegalArgumentException(config.getClass() + " is not the config type of " + factory.name());
        }
    }

    public String name() {
        return factory.name();
    }
}
