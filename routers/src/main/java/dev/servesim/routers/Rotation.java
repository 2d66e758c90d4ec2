package dev.servesim.routers;

/**
 * Chooses the replica with the lowest cost; among tied replicas, the first at or after a rotation point that moves
 * past each choice, so ties are spread round-robin instead of always falling to replica 0. Deterministic.
 */
final class Rotation {

    private int next;

    /** The lowest {@code primary[i]}, then lowest {@code secondary[i]} (if not null), for {@code i < count}. */
    int pickLowest(double[] primary, double[] secondary, int count) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            best = Math.min(best, primary[i]);
        }
        double bestSecondary = Double.POSITIVE_INFINITY;
        if (secondary != null) {
            for (int i = 0; i < count; i++) {
                if (primary[i] == best) {
                    bestSecondary = Math.min(bestSecondary, secondary[i]);
                }
            }
        }
        for (int k = 0; k < count; k++) {
            int i = (next + k) % count;
            if (primary[i] == best && (secondary == null || secondary[i] == bestSecondary)) {
                next = (i + 1) % count;
                return i;
            }
        }
        // only reached if every cost is NaN
        int chosen = next;
        next = (next + 1) % count;
        return chosen;
    }

    /** The next replica in plain round-robin order. */
    int nextInTurn(int count) {
        int chosen = next % count;
        next = (chosen + 1) % count;
        return chosen;
    }
}
