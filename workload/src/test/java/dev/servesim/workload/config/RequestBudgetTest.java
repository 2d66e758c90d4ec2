package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 3: {@code rate: 1e18} passed validate and grew the heap to 6 GB. A workload expected to generate
 * more than 1e9 requests, or to last more than 1e9 s, is now refused with the figure.
 */
class RequestBudgetTest {

    @Test
    void everySourceRefusesMoreThanABillionExpectedRequests() {
        failsWith("{'rate': 1e18, 'duration': 60}", PoissonConfig.class,
                "rate: rate x duration = 6.00e+19 requests, more than the limit of 1e+09 a run can simulate");
        failsWith("{'rate': 1, 'num_requests': 2000000000}", PoissonConfig.class,
                "num_requests: num_requests = 2.00e+09 requests, more than the limit of 1e+09 a run can simulate");
        failsWith("{'rate': 1e6, 'duration': 1e4, 'turns': 5}", MultiturnConfig.class,
                "rate: sessions x turns = 5.00e+10 requests, more than the limit of 1e+09 a run can simulate");
        failsWith("{'rate': 1e7, 'duration': 1000}", StageConfig.class,
                "rate: rate x duration = 1.00e+10 requests, more than the limit of 1e+09 a run can simulate");
        failsWith("{'rate': 1e9, 'total_duration': 10, 'profiles': [{'name': 'a'}]}", SyntheticConfig.class,
                "rate: rate x total_duration = 1.00e+10 requests, more than the limit of 1e+09 a run can simulate");
    }

    @Test
    void timesBeyondABillionSecondsAreRefused() {
        failsWith("{'rate': 1e-3, 'duration': 1e300}", PoissonConfig.class,
                "duration: must be at most 1.0E9 s (about 31.7 years of simulated time), got 1.0E300");
        failsWith("{'start_rate': 1, 'rate_step': 0, 'steps': 1000, 'step_duration': 1e8}", StaircaseConfig.class,
                "steps: must be at most 1.0E9 s (about 31.7 years of simulated time), got 1.0E11");
    }

    @Test
    void aLargeButBoundedWorkloadIsAccepted() throws Exception {
        assertThat(ConfigBinding.bind("{'rate': 1e5, 'duration': 1e4}", PoissonConfig.class).rate()).isEqualTo(1e5);
        assertThat(ConfigBinding.bind("{'rate': 1e18, 'num_requests': 10}", PoissonConfig.class).numRequests())
                .isEqualTo(10L);
    }
}
