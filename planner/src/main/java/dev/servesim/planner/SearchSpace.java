package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.Variation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What {@code --search} names: configuration keys with the values to try (their cross product gives the candidate
 * deployments) and, apart, the replica counts ({@code cluster.replicas=1..32} or a list), which the planner searches
 * by bisection instead of enumerating.
 *
 * @param dimensions the other keys, in the order given
 * @param replicas the replica counts allowed, ascending; empty when {@code --search} does not name
 *     {@value #REPLICAS_KEY}
 */
public record SearchSpace(List<Variation> dimensions, List<Integer> replicas) {

    /** The key whose values are searched by bisection. */
    public static final String REPLICAS_KEY = "cluster.replicas";
    /** Most replica counts a range may hold. */
    public static final int MAX_REPLICAS = 4096;

    public SearchSpace {
        dimensions = List.copyOf(requireNonNull(dimensions, "dimensions is null"));
        replicas = List.copyOf(requireNonNull(replicas, "replicas is null"));
    }

    /** Parses the {@code --search key=v1,v2,...} options ({@code cluster.replicas} also takes {@code a..b}). */
    public static SearchSpace parse(List<String> searches) {
        List<Variation> dimensions = new ArrayList<>();
        List<Integer> replicas = List.of();
        for (String search : searches) {
            String text = search.trim();
            if (text.startsWith(REPLICAS_KEY + "=")) {
                if (!replicas.isEmpty()) {
                    throw new ServesimException(ErrorKind.CONFIG, "--search " + REPLICAS_KEY + " is given twice");
                }
                replicas = replicaCounts(text.substring(REPLICAS_KEY.length() + 1).trim());
                continue;
            }
            Variation variation = Variation.parse(text);
            if (dimensions.stream().anyMatch(other -> other.key().equals(variation.key()))) {
                throw new ServesimException(ErrorKind.CONFIG, "--search " + variation.key() + " is given twice");
            }
            dimensions.add(variation);
        }
        return new SearchSpace(dimensions, replicas);
    }

    private static List<Integer> replicaCounts(String values) {
        TreeSet<Integer> counts = new TreeSet<>();
        try {
            int range = values.indexOf("..");
            if (range >= 0) {
                int first = Integer.parseInt(values.substring(0, range).trim());
                int last = Integer.parseInt(values.substring(range + 2).trim());
                if (first < 1 || last < first || last > MAX_REPLICAS) {
                    throw new NumberFormatException();
                }
                for (int count = first; count <= last; count++) {
                    counts.add(count);
                }
            } else {
                for (String value : values.split(",")) {
                    int count = Integer.parseInt(value.trim());
                    if (count < 1 || count > MAX_REPLICAS) {
                        throw new NumberFormatException();
                    }
                    counts.add(count);
                }
            }
        } catch (NumberFormatException e) {
            throw new ServesimException(ErrorKind.CONFIG, "--search " + REPLICAS_KEY + "=" + values + ": expected "
                    + "a range a..b or a list a,b,... of counts from 1 to " + MAX_REPLICAS + ", e.g. 1..32");
        }
        return List.copyOf(counts);
    }

    /** Every combination of the dimensions' values (one, empty, if there is none), the first varying slowest. */
    public List<List<String>> combinations() {
        return Variation.crossProduct(dimensions);
    }
}
