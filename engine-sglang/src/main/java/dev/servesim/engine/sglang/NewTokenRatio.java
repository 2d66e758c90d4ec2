package dev.servesim.engine.sglang;

/**
 * SGLang's estimate of the share of their remaining {@code max_new_tokens} that running requests will still
 * generate, which admission reserves KV for (python/sglang/srt/managers/scheduler.py, {@code new_token_ratio}).
 *
 * <ul>
 *   <li>It starts at {@code init = min(0.7 x schedule_conservativeness, 1.0)} ({@code SGLANG_INIT_NEW_TOKEN_RATIO}
 *       0.7).</li>
 *   <li>Its floor is {@code min = min(init x 0.14, 1.0)}: 0.14 is {@code SGLANG_MIN_NEW_TOKEN_RATIO_FACTOR}, a factor
 *       of the initial ratio, so at conservativeness 1 the floor is 0.098 (the reference's "0.14 x that value").</li>
 *   <li>Each decode step that fits in memory lowers it by {@code (init - min) / 600}
 *       ({@code SGLANG_NEW_TOKEN_RATIO_DECAY_STEPS}), not below the floor ({@code update_running_batch}).</li>
 *   <li>A retraction sets it to the ratio {@link Retraction} computes ({@code retract_decode}'s second result).</li>
 *   <li>When the scheduler is idle it goes back to {@code init} ({@code self_check_during_idle}).</li>
 * </ul>
 */
final class NewTokenRatio {

    static final double INIT_NEW_TOKEN_RATIO = 0.7;
    static final double MIN_NEW_TOKEN_RATIO_FACTOR = 0.14;
    static final int NEW_TOKEN_RATIO_DECAY_STEPS = 600;

    private final double init;
    private final double min;
    private final double decay;
    private double ratio;

    /** @param scheduleConservativeness {@code --schedule-conservativeness}, default 1.0 */
    NewTokenRatio(double scheduleConservativeness) {
        if (!(scheduleConservativeness > 0) || Double.isInfinite(scheduleConservativeness)) {
            throw new IllegalArgumentException("schedule_conservativeness must be positive, got "
                    + scheduleConservativeness);
        }
        this.init = Math.min(INIT_NEW_TOKEN_RATIO * scheduleConservativeness, 1.0);
        this.min = Math.min(init * MIN_NEW_TOKEN_RATIO_FACTOR, 1.0);
        this.decay = (init - min) / NEW_TOKEN_RATIO_DECAY_STEPS;
        this.ratio = init;
    }

    double value() {
        return ratio;
    }

    double initial() {
        return init;
    }

    double minimum() {
        return min;
    }

    /** A decode step found enough memory. */
    void decay() {
        ratio = Math.max(ratio - decay, min);
    }

    /** A decode step retracted requests; {@code newRatio} is what {@code retract_decode} estimated. */
    void retracted(double newRatio) {
        ratio = newRatio;
    }

    /** The scheduler found nothing to run. */
    void reset() {
        ratio = init;
    }
}
