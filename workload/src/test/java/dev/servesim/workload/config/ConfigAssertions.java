package dev.servesim.workload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;

/** Assertions on configuration binding failures: the message of the ServesimException behind Jackson's wrapper. */
final class ConfigAssertions {

    private ConfigAssertions() {}

    /** Binding {@code json} to {@code type} fails with exactly {@code message}. */
    static void failsWith(String json, Class<?> type, String message) {
        assertThatThrownBy(() -> ConfigBinding.bind(json, type))
                .satisfies(thrown -> assertThat(cause(thrown)).hasMessage(message));
    }

    private static Throwable cause(Throwable thrown) {
        Throwable cause = thrown;
        while (!(cause instanceof ServesimException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
