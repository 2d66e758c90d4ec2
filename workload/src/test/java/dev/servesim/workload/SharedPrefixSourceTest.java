package dev.servesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.request.Request;
import dev.servesim.workload.config.SharedPrefixConfig;
import dev.servesim.workload.config.StageConfig;
import dev.servesim.workload.config.StaircaseConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPrefixSourceTest {

    private static SharedPrefixConfig config(String loadType, List<StageConfig> stages, Integer burstSize,
            StaircaseConfig staircase) {
        return new SharedPrefixConfig(9, 5, 100, 447, 248, loadType, stages, burstSize, staircase);
    }

    private static List<Request> generate(SharedPrefixConfig config, long seed) {
        TestingServingContext context = TestingServingContext.openLoop(seed);
        return context.run(new SharedPrefixSource(config, context)).submitted();
    }

    private static List<Request> stage(List<Request> requests, int index) {
        return requests.stream().filter(r -> r.profile().equals("stage-" + index)).toList();
    }

    @Test
    void constantLoadFillsEachStageExactly() {
        // the general-lite calibration workload: 2.5 rps x 600 s, then 6 rps x 600 s
        List<Request> requests = generate(config("constant", List.of(new StageConfig(2.5, 600.0),
                new StageConfig(6.0, 600.0)), null, null), 1);
        List<Request> first = stage(requests, 0);
        List<Request> second = stage(requests, 1);
        assertThat(first).hasSize(1500);
        assertThat(second).hasSize(3600);
        assertThat(requests).hasSize(5100);
        // the last request of each stage goes out at its end
        assertThat(first.get(first.size() - 1).arrivalTime()).isEqualTo(600.0);
        assertThat(second.get(second.size() - 1).arrivalTime()).isEqualTo(1200.0);
        assertThat(first).allSatisfy(r -> assertThat(r.arrivalTime()).isBetween(0.0, 600.0));
        assertThat(second).allSatisfy(r -> assertThat(r.arrivalTime()).isBetween(600.0, 1200.0));
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i).arrivalTime()).isGreaterThanOrEqualTo(requests.get(i - 1).arrivalTime());
        }
        // rescaled exponential gaps: mean D/N, coefficient of variation near 1
        double sum = 0;
        double squares = 0;
        double previous = 600;
        for (Request request : second) {
            double gap = request.arrivalTime() - previous;
            sum += gap;
            squares += gap * gap;
            previous = request.arrivalTime();
        }
        double mean = sum / second.size();
        assertThat(mean).isCloseTo(600.0 / 3600, within(1e-9));
        double cv = Math.sqrt(squares / second.size() - mean * mean) / mean;
        assertThat(cv).isCloseTo(1.0, within(0.08));
        // arrivals spread evenly over the stage: about half in each half (binomial sd 30)
        long firstHalf = second.stream().filter(r -> r.arrivalTime() < 900).count();
        assertThat((double) firstHalf).isCloseTo(1800, within(150.0));
    }

    @Test
    void poissonLoad() {
        List<Request> requests = generate(config("poisson", List.of(new StageConfig(10.0, 300.0)), null, null), 2);
        assertThat((double) requests.size()).isCloseTo(3000, within(4 * 55.0));
        assertThat(requests).allSatisfy(r -> assertThat(r.arrivalTime()).isLessThan(300.0));
    }

    @Test
    void burstLoadSendsEvenlySpacedBursts() {
        List<Request> requests = generate(config("burst", List.of(new StageConfig(2.5, 600.0)), 100, null), 3);
        assertThat(requests).hasSize(1500);
        for (int burst = 0; burst < 15; burst++) {
            double at = 40.0 * burst;
            assertThat(requests.subList(burst * 100, burst * 100 + 100))
                    .allSatisfy(r -> assertThat(r.arrivalTime()).isEqualTo(at));
        }
        List<Request> single = generate(config("burst", List.of(new StageConfig(1.0, 10.0), new StageConfig(2.0, 5.0)),
                null, null), 3);
        assertThat(single).extracting(Request::arrivalTime).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0);
    }

    @Test
    void staircaseStepsUpTheRate() {
        List<Request> requests = generate(config("staircase", null, null, new StaircaseConfig(1.0, 2.0, 3, 10.0)), 4);
        assertThat(stage(requests, 0)).hasSize(10);
        assertThat(stage(requests, 1)).hasSize(30);
        assertThat(stage(requests, 2)).hasSize(50);
        assertThat(requests.get(requests.size() - 1).arrivalTime()).isEqualTo(30.0);
    }

    @Test
    void promptsComeBackEveryGroupsTimesUsersRequestsAndShareTheirSystemPrompt() {
        SharedPrefixConfig config = new SharedPrefixConfig(3, 2, 64, 40, 8, "constant",
                List.of(new StageConfig(5.0, 10.0)), null, null);
        List<Request> requests = generate(config, 5);
        assertThat(requests).hasSize(50).allSatisfy(r -> {
            assertThat(r.promptTokens()).isEqualTo(104);
            assertThat(r.maxOutputTokens()).isEqualTo(8);
        });
        for (int i = 6; i < requests.size(); i++) {
            assertThat(requests.get(i).prompt()).isEqualTo(requests.get(i - 6).prompt());
        }
        // the first six prompts are all different: 3 system prompts, each with 2 questions
        List<Long> systems = requests.subList(0, 6).stream().map(r -> r.prompt().segments().get(0).contentId())
                .toList();
        List<Long> questions = requests.subList(0, 6).stream().map(r -> r.prompt().segments().get(1).contentId())
                .toList();
        assertThat(questions).doesNotHaveDuplicates();
        assertThat(systems.stream().distinct().count()).isEqualTo(3);
        for (Long system : systems) {
            assertThat(systems.stream().filter(system::equals).count()).isEqualTo(2);
        }
    }

    @Test
    void promptsThatCannotFitTheContextAreRejected() {
        SharedPrefixConfig config = config("constant", List.of(new StageConfig(1.0, 10.0)), null, null);
        assertThatThrownBy(() -> new SharedPrefixSource(config, TestingServingContext.serving(1, 512, 0.1, 0.01)))
                .hasMessage("workload.question_len: system_prompt_len + question_len + output_len = 795 tokens "
                        + "exceeds the serving engines' max_model_len of 512");
    }

    @Test
    void sameSeedSameLoad() {
        SharedPrefixConfig config = config("constant", List.of(new StageConfig(3.0, 100.0)), null, null);
        assertThat(generate(config, 7)).isEqualTo(generate(config, 7));
        assertThat(generate(config, 7)).isNotEqualTo(generate(config, 8));
    }
}
