package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Configuration of the {@code synthetic} workload source: sessions of one or more client profiles.
 *
 * @param rate sessions started per second over all profiles, split by the profiles' weights; absent: every profile
 *     uses its {@code inter_arrival} as written
 * @param totalDuration no request (first or later turn) is sent after this many seconds; at least one of
 *     total_duration and num_requests
 * @param numRequests stop after this many requests (all turns counted)
 * @param profiles the client profiles, at least one, with distinct names
 * @param accumulateConversationalTokens later turns carry the earlier turns' inputs and responses (default true)
 * @param contextOverflow what a later turn that would exceed the engines' max_model_len does: {@code end} the
 *     session (default) or {@code truncate} it (drop the oldest turns)
 */
public record SyntheticConfig(
        Double rate,
        Double totalDuration,
        Long numRequests,
        List<ClientProfileConfig> profiles,
        Boolean accumulateConversationalTokens,
        String contextOverflow) {

    /** Values of {@code context_overflow}. */
    public static final List<String> OVERFLOW_POLICIES = List.of("end", "truncate");

    public SyntheticConfig {
        if (rate != null) {
            positive("rate", rate);
        }
        if (totalDuration == null && numRequests == null) {
            throw ServesimException.config("total_duration", "set total_duration (seconds) or num_requests, or both");
        }
        if (totalDuration != null) {
            ConfigValues.duration("total_duration", totalDuration);
        }
        if (numRequests != null && numRequests < 1) {
            throw ServesimException.config("num_requests", "must be positive, got " + numRequests);
        }
        if (numRequests != null && numRequests > ConfigValues.MAX_REQUESTS) {
            ConfigValues.requestBudget("num_requests", numRequests, "num_requests");
        }
        if (rate != null && totalDuration != null && numRequests == null) {
            // every session has at least one request
            ConfigValues.requestBudget("rate", rate * totalDuration, "rate x total_duration");
        }
        if (profiles == null || profiles.isEmpty()) {
            throw ServesimException.config("profiles", "needs at least one client profile");
        }
        List<ClientProfileConfig> filled = new ArrayList<>(profiles.size());
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < profiles.size(); i++) {
            ClientProfileConfig profile = profiles.get(i);
            String key = "profiles[" + i + "]";
            if (profile == null) {
                throw ServesimException.config(key, "is empty");
            }
            if (rate == null && profile.weight() != null) {
                throw ServesimException.config(key + ".weight", "weights split the source's rate; set rate, or "
                        + "give each profile its own inter_arrival without a weight");
            }
            if (rate == null && profile.interArrival() == null) {
                throw ServesimException.config(key + ".inter_arrival", "is required when the source has no rate");
            }
            String name = orDefault(profile.name(), "profile-" + i);
            if (!names.add(name)) {
                throw ServesimException.config(key + ".name", "'" + name + "' is used by another profile");
            }
            filled.add(profile.withNameAndWeight(name, rate == null ? null : orDefault(profile.weight(), 1.0)));
        }
        profiles = List.copyOf(filled);
        accumulateConversationalTokens = orDefault(accumulateConversationalTokens, true);
        contextOverflow = overflow("context_overflow", contextOverflow);
    }

    static String overflow(String key, String value) {
        String policy = orDefault(value, "end");
        if (!OVERFLOW_POLICIES.contains(policy)) {
            throw ServesimException.config(key, "unknown '" + policy + "'; one of " + String.join(", ",
                    OVERFLOW_POLICIES));
        }
        return policy;
    }
}
