package dev.servesim.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.metrics.RunSummary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversational traffic with token accumulation (each turn repeats the conversation so far): the setting of the
 * reference study, which reported about 70% hit rate and 69% prefill reduction (20 s at 2 sessions/s, 500-token
 * prompts, 100-token outputs, a 7B model). docs/cache-strategies.md records the figures.
 */
class ConversationalCacheScenarioTest {

    static final String CONVERSATIONS = """
            seed: 1
            framework: {name: vllm, model: llama-2-7b, hardware: H100-SXM-80GB}
            cache: {strategy: block-hash}
            workload:
              source: synthetic
              rate: 2
              total_duration: 20
              profiles:
                - name: chat
                  prompt_tokens: {type: constant, value: 500}
                  max_output_tokens: {type: constant, value: 100}
                  follow_up_tokens: {type: constant, value: 500}
                  conversational_probability: 1.0
                  think_time: {type: constant, value: 1}
                  max_turns: 10
            sinks: [json]
            """;

    @Test
    void everyCachingStrategyReusesTheConversationAndDisabledReusesNothing(@TempDir Path folder) throws Exception {
        RunSummary blockHash = Scenarios.run(folder, "block-hash", CONVERSATIONS).summary();
        RunSummary session = Scenarios.run(folder, "session", CONVERSATIONS, "cache.strategy=session").summary();
        RunSummary radix = Scenarios.run(folder, "radix", CONVERSATIONS, "cache.strategy=radix").summary();
        RunSummary disabled = Scenarios.run(folder, "disabled", CONVERSATIONS, "cache.strategy=disabled").summary();

        RunSummary.PrefixCache cache = blockHash.prefixCache();
        assertThat(cache.tokenHitRate()).isBetween(0.6, 0.8);
        assertThat(cache.prefillReduction()).isCloseTo(cache.tokenHitRate(), within(0.01));
        assertThat(cache.conversationalHitRate()).isEqualTo(1.0);
        assertThat(cache.events()).containsKeys("MISS", "PARTIAL_HIT");
        // every follow-up extends its own conversation, so the three families find the same prefixes
        assertThat(session.prefixCache().tokensSaved()).isEqualTo(cache.tokensSaved());
        assertThat(radix.prefixCache().tokensSaved()).isEqualTo(cache.tokensSaved());
        assertThat(session.prefixCache().events()).containsKeys("CONVERSATIONAL_HIT", "MISS_FULL");

        assertThat(disabled.prefixCache().tokenHitRate()).isZero();
        assertThat(disabled.prefixCache().tokensSaved()).isZero();
        // recomputing the whole conversation at every turn: the median TTFT nearly triples (docs/cache-strategies.md)
        assertThat(disabled.latencyMs().ttft().p50()).isGreaterThan(1.5 * blockHash.latencyMs().ttft().p50());
    }
}
