package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.ClientProfileConfig;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.MultiturnConfig;
import dev.servesim.workload.config.SharedPrefixConfig;
import dev.servesim.workload.config.StageConfig;
import dev.servesim.workload.config.SyntheticConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Pins what each source generates for a fixed configuration and seed, so that a change to the draws, the streams or
 * the content ids is a deliberate one: the request count, token totals, a digest of every request (arrival rounded to
 * the microsecond, session, turn, lengths, first block hash) and the first arrivals.
 */
class WorkloadGoldenTest {

    private static String fingerprint(Function<TestingServingContext, WorkloadSource> source) {
        TestingServingContext context = TestingServingContext.serving(42, 4096, 0.25, 0.02);
        context.run(source.apply(context));
        List<Request> requests = context.submitted();
        long prompt = 0;
        long output = 0;
        long digest = 17;
        for (Request request : requests) {
            prompt += request.promptTokens();
            output += request.maxOutputTokens();
            BlockHashChain chain = BlockHashChain.of(request.prompt(), 16);
            long first = chain.fullBlocks() > 0 ? chain.hash(0) : 0;
            digest = digest * 31 + Math.round(request.arrivalTime() * 1e6);
            digest = digest * 31 + request.sessionId();
            digest = digest * 31 + request.turn();
            digest = digest * 31 + request.promptTokens();
            digest = digest * 31 + request.maxOutputTokens();
            digest = digest * 31 + first;
        }
        StringBuilder text = new StringBuilder();
        text.append(requests.size()).append(" requests, ").append(prompt).append(" prompt, ").append(output)
                .append(" output, digest ").append(Long.toHexString(digest)).append(", first");
        for (int i = 0; i < Math.min(3, requests.size()); i++) {
            text.append(String.format(Locale.ROOT, " %.6f", requests.get(i).arrivalTime()));
        }
        return text.toString();
    }

    private static DistributionConfig lognormal(double mean, double stddev) {
        return new DistributionConfig("lognormal", null, mean, stddev, null, null, null, null, null, null, null, null,
                null, null);
    }

    @Test
    void synthetic() {
        ClientProfileConfig chat = new ClientProfileConfig("chat", 2.0, null, lognormal(500, 200), lognormal(100, 50),
                lognormal(50, 20), 64, 0.5, DistributionConfig.exponential(4), 4, 0.9, 0.8, 0, null);
        ClientProfileConfig batch = new ClientProfileConfig("batch", 1.0, new DistributionConfig("gamma", null, null,
                null, 0.5, 1.0, null, null, null, null, null, null, null, null), lognormal(1500, 500),
                DistributionConfig.constant(64), null, 0, 0.0, null, 1, 1.0, 1.0, 1, null);
        String actual = fingerprint(context -> new SyntheticSource(new SyntheticConfig(2.0, 120.0, null,
                List.of(chat, batch), null, null), context));
        assertThat(actual).isEqualTo("398 requests, 368617 prompt, 37936 output"
                + ", digest 3e69ee8bad5b60fa, first 0.046100 0.215019 1.756999");
    }

    @Test
    void multiturn() {
        String actual = fingerprint(context -> new MultiturnSource(new MultiturnConfig(0.5, 60.0, null, 4, 1.0, 3,
                256, null, lognormal(200, 80), 64, null, null), context));
        assertThat(actual).isEqualTo("136 requests, 114813 prompt, 8704 output"
                + ", digest d3ac5956e327b1ee, first 3.602279 4.875067 6.112279");
    }

    @Test
    void sharedPrefix() {
        String actual = fingerprint(context -> new SharedPrefixSource(new SharedPrefixConfig(3, 4, 100, 447, 248,
                "constant", List.of(new StageConfig(2.5, 20.0), new StageConfig(6.0, 10.0)), null, null), context));
        assertThat(actual).isEqualTo("110 requests, 60170 prompt, 27280 output"
                + ", digest 5afb73dc87d57288, first 0.291601 2.287362 2.553161");
    }
}
