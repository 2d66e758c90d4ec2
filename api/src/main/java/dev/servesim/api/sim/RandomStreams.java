package dev.servesim.api.sim;

import java.util.random.RandomGenerator;

/**
 * Named, seeded random streams. The seed of a stream is derived from the run seed and the stream's full name
 * (the component's prefix plus {@code name}) by a fixed mixing function, so adding a stream or a plugin never
 * changes the numbers any other stream draws, and the same seed and configuration always give the same draws.
 */
public interface RandomStreams {

    /**
     * The stream called {@code name} within this component, e.g. {@code stream("arrivals")} in the workload
     * {@code poisson} is the stream {@code workload/poisson/arrivals}. Asking twice for the same name returns
     * generators that produce the same sequence (two independent copies), so a component should keep the one it got.
     */
    RandomGenerator stream(String name);

    /** A view whose stream names are prefixed with {@code prefix + "/"}. */
    RandomStreams child(String prefix);
}
