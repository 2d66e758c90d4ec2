package dev.servesim.runner.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink driven by hand: every event of a small scenario, worked out in microseconds. */
class TimelineSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Replica 0: request 0 (arrives 0, scheduled 10 ms, first token 30 ms, done 50 ms), request 1 (arrives 20 ms,
     * overlapping request 0, so on another lane) and request 2 (arrives 55 ms, after request 0 ended: its lane again);
     * two steps. Replica 1: a snapshot and a request rejected on arrival.
     */
    private static void scenario(TimelineSink sink) {
        sink.onRunStarted();
        sink.onSnapshot(0.0, 1, new EngineLoad(0, 0, 0, 100));
        sink.onStep(new StepRecord(0, 0.010, 0.020, 100, 0, 1, 1, 1, 10, 100, 0));
        sink.onStep(new StepRecord(0, 0.030, 0.015, 50, 1, 2, 2, 0, 20, 100, 1));
        sink.onRequestFinished(record(0, 0, 0.0, 0.010, 0.030, 0.050, RequestStatus.COMPLETED, ""));
        sink.onRequestFinished(record(1, 0, 0.020, 0.030, 0.045, 0.060, RequestStatus.COMPLETED, ""));
        sink.onRequestFinished(record(3, 1, 0.040, Double.NaN, Double.NaN, 0.040, RequestStatus.REJECTED,
                "prompt too long: \"x\"\n5000 tokens"));
        sink.onRequestFinished(record(2, 0, 0.055, 0.055, 0.065, 0.070, RequestStatus.UNFINISHED, ""));
    }

    @Test
    void requestsPhasesStepsAndCountersOfAHandCheckedScenario(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("timeline.json");
        TimelineSink sink = new TimelineSink(file, 100, 100);
        scenario(sink);
        sink.onRunFinished(summary(2));
        sink.close();

        JsonNode trace = JSON.readTree(file.toFile());
        assertThat(trace.at("/displayTimeUnit").asText()).isEqualTo("ms");
        List<String> events = new ArrayList<>();
        trace.get("traceEvents").forEach(event -> events.add(brief(event)));
        // thread ids in order of first use: 1 and 2 = the steps of replicas 0 and 1 (the snapshot of replica 1 came
        // first, and replicas are created in order), 3 and 4 = replica 0's lanes 1 and 2, 5 = replica 1's lane 1
        assertThat(events).containsExactly(
                "C running pid 2 tid 2 ts 0.000 requests=0",
                "C waiting pid 2 tid 2 ts 0.000 requests=0",
                "C kv cache pid 2 tid 2 ts 0.000 usage=0.0",
                "X prefill pid 1 tid 1 ts 10000.000 dur 20000.000 prefill_tokens=100 decode_tokens=0 requests=1 "
                        + "preemptions=0",
                "C running pid 1 tid 1 ts 30000.000 requests=1",
                "C waiting pid 1 tid 1 ts 30000.000 requests=1",
                "C kv cache pid 1 tid 1 ts 30000.000 usage=0.1",
                "X prefill+decode pid 1 tid 1 ts 30000.000 dur 15000.000 prefill_tokens=50 decode_tokens=1 "
                        + "requests=2 preemptions=1",
                "C running pid 1 tid 1 ts 45000.000 requests=2",
                "C waiting pid 1 tid 1 ts 45000.000 requests=0",
                "C kv cache pid 1 tid 1 ts 45000.000 usage=0.2",
                "X request 0 pid 1 tid 3 ts 0.000 dur 50000.000 id=0 session=0 turn=1 prompt_tokens=10 "
                        + "cached_tokens=4 output_tokens=3 preemptions=0 status=completed",
                "X queue pid 1 tid 3 ts 0.000 dur 10000.000",
                "X prefill pid 1 tid 3 ts 10000.000 dur 20000.000",
                "X decode pid 1 tid 3 ts 30000.000 dur 20000.000",
                "X request 1 pid 1 tid 4 ts 20000.000 dur 40000.000 id=1 session=1 turn=1 prompt_tokens=10 "
                        + "cached_tokens=4 output_tokens=3 preemptions=0 status=completed",
                "X queue pid 1 tid 4 ts 20000.000 dur 10000.000",
                "X prefill pid 1 tid 4 ts 30000.000 dur 15000.000",
                "X decode pid 1 tid 4 ts 45000.000 dur 15000.000",
                // rejected on arrival: a request of no duration, without phases, on replica 1's first lane
                "X request 3 pid 2 tid 5 ts 40000.000 dur 0.000 id=3 session=3 turn=1 prompt_tokens=10 "
                        + "cached_tokens=4 output_tokens=3 preemptions=0 status=rejected "
                        + "reason=prompt too long: \"x\"\n5000 tokens",
                // scheduled at arrival: no queue phase
                "X request 2 pid 1 tid 3 ts 55000.000 dur 15000.000 id=2 session=2 turn=1 prompt_tokens=10 "
                        + "cached_tokens=4 output_tokens=3 preemptions=0 status=unfinished",
                "X prefill pid 1 tid 3 ts 55000.000 dur 10000.000",
                "X decode pid 1 tid 3 ts 65000.000 dur 5000.000",
                "M process_name pid 1 tid 1 ts 0.000 name=replica 0",
                "M process_sort_index pid 1 tid 1 ts 0.000 sort_index=0",
                "M thread_name pid 1 tid 1 ts 0.000 name=steps",
                "M thread_sort_index pid 1 tid 1 ts 0.000 sort_index=0",
                "M thread_name pid 1 tid 3 ts 0.000 name=lane 1",
                "M thread_sort_index pid 1 tid 3 ts 0.000 sort_index=1",
                "M thread_name pid 1 tid 4 ts 0.000 name=lane 2",
                "M thread_sort_index pid 1 tid 4 ts 0.000 sort_index=2",
                "M process_name pid 2 tid 2 ts 0.000 name=replica 1",
                "M process_sort_index pid 2 tid 2 ts 0.000 sort_index=1",
                "M thread_name pid 2 tid 2 ts 0.000 name=steps",
                "M thread_sort_index pid 2 tid 2 ts 0.000 sort_index=0",
                "M thread_name pid 2 tid 5 ts 0.000 name=lane 1",
                "M thread_sort_index pid 2 tid 5 ts 0.000 sort_index=1");
        assertThat(trace.at("/otherData/requests_recorded").asLong()).isEqualTo(4);
        assertThat(trace.at("/otherData/requests_left_out").asLong()).isZero();
        assertThat(trace.at("/otherData/steps_recorded").asLong()).isEqualTo(2);
        assertThat(trace.at("/otherData/snapshots_recorded").asLong()).isEqualTo(1);
        assertThat(trace.at("/otherData/note").asText()).isEmpty();
        assertThat(files(folder)).containsExactly("timeline.json");
    }

    @Test
    void pastItsCapsTheTimelineMarksWhereRecordingStoppedAndCountsWhatItLeftOut(@TempDir Path folder)
            throws Exception {
        Path file = folder.resolve("timeline.json");
        TimelineSink sink = new TimelineSink(file, 2, 2);
        scenario(sink);
        sink.onStep(new StepRecord(0, 0.045, 0.010, 0, 2, 2, 2, 0, 20, 100, 0));
        sink.onRunFinished(summary(2));
        sink.close();

        JsonNode trace = JSON.readTree(file.toFile());
        List<String> events = new ArrayList<>();
        trace.get("traceEvents").forEach(event -> events.add(brief(event)));
        assertThat(events).filteredOn(event -> event.startsWith("X request")).hasSize(2);
        // the first step and the prefill phases of the two requests
        assertThat(events).filteredOn(event -> event.startsWith("X prefill ")).hasSize(3);
        // the snapshot and the first step fit under max_steps = 2; the second step is the first left out
        assertThat(events).filteredOn(event -> event.startsWith("i ")).containsExactly(
                "i timeline cap reached: steps and load counters after this are not recorded (max_steps 2) pid 1 "
                        + "tid 1 ts 45000.000",
                "i timeline cap reached: requests ending after this are not recorded (max_requests 2) pid 2 tid 2 "
                        + "ts 40000.000");
        assertThat(trace.at("/otherData/requests_recorded").asLong()).isEqualTo(2);
        assertThat(trace.at("/otherData/requests_left_out").asLong()).isEqualTo(2);
        assertThat(trace.at("/otherData/steps_recorded").asLong()).isEqualTo(1);
        assertThat(trace.at("/otherData/steps_left_out").asLong()).isEqualTo(2);
        assertThat(trace.at("/otherData/snapshots_recorded").asLong()).isEqualTo(1);
        assertThat(trace.at("/otherData/max_requests").asLong()).isEqualTo(2);
        assertThat(trace.at("/otherData/note").asText()).contains("capped", "max_requests", "max_steps");
    }

    @Test
    void aCounterIsWrittenOnlyWhenItsWrittenValueChanges(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("timeline.json");
        TimelineSink sink = new TimelineSink(file, 100, 100);
        sink.onRunStarted();
        sink.onStep(new StepRecord(0, 0.0, 0.01, 0, 4, 4, 4, 2, 20_000, 100_000, 0));
        // 0.20004 is written as 0.2000, like 0.2
        sink.onStep(new StepRecord(0, 0.01, 0.01, 0, 4, 4, 4, 2, 20_004, 100_000, 0));
        sink.onSnapshot(0.025, 0, new EngineLoad(4, 3, 20_100, 100_000));
        sink.onRunFinished(summary(1));
        sink.close();

        List<String> counters = new ArrayList<>();
        JSON.readTree(file.toFile()).get("traceEvents").forEach(event -> {
            if (event.get("ph").asText().equals("C")) {
                counters.add(brief(event));
            }
        });
        assertThat(counters).containsExactly(
                "C running pid 1 tid 1 ts 10000.000 requests=4",
                "C waiting pid 1 tid 1 ts 10000.000 requests=2",
                "C kv cache pid 1 tid 1 ts 10000.000 usage=0.2",
                "C waiting pid 1 tid 1 ts 25000.000 requests=3",
                "C kv cache pid 1 tid 1 ts 25000.000 usage=0.201");
    }

    @Test
    void aRunThatDoesNotFinishLeavesNoHalfWrittenFile(@TempDir Path folder) throws Exception {
        TimelineSink sink = new TimelineSink(folder.resolve("timeline.json"), 100, 100);
        scenario(sink);
        assertThat(files(folder)).containsExactly("timeline.json.tmp");

        sink.close();

        assertThat(files(folder)).isEmpty();
    }

    @Test
    void theSameEventsGiveTheSameBytes(@TempDir Path folder) throws Exception {
        for (String name : List.of("a.json", "b.json")) {
            TimelineSink sink = new TimelineSink(folder.resolve(name), 100, 100);
            scenario(sink);
            sink.onRunFinished(summary(2));
            sink.close();
        }

        assertThat(Files.readAllBytes(folder.resolve("b.json"))).isEqualTo(Files.readAllBytes(folder.resolve("a.json")));
    }

    /** Phase, name, ids, times and arguments of an event, on one line. */
    private static String brief(JsonNode event) {
        StringBuilder text = new StringBuilder();
        text.append(event.get("ph").asText()).append(' ').append(event.get("name").asText())
                .append(" pid ").append(event.get("pid").asLong())
                .append(" tid ").append(event.get("tid").asLong())
                .append(" ts ").append(String.format(java.util.Locale.ROOT, "%.3f", event.get("ts").asDouble()));
        if (event.has("dur")) {
            text.append(" dur ").append(String.format(java.util.Locale.ROOT, "%.3f", event.get("dur").asDouble()));
        }
        if (event.has("args")) {
            event.get("args").properties().forEach(arg -> text.append(' ').append(arg.getKey()).append('=')
                    .append(arg.getValue().asText()));
        }
        return text.toString();
    }

    private static RequestRecord record(long id, int replica, double arrival, double scheduled, double firstToken,
            double finish, RequestStatus status, String reason) {
        Request request = Request.single(id, arrival, PromptContent.single(id, 10), 3);
        return new RequestRecord(request, replica, status, reason, arrival, scheduled, firstToken, finish, 3, 4, "MISS",
                0, 0.01, 0.01);
    }

    private static RunSummary summary(int replicas) {
        LatencyStats none = LatencyStats.EMPTY;
        return new RunSummary("timeline", "test", 1, "0", false, "", 0.07, Double.NaN, Double.NaN, "exact",
                new RunSummary.Requests(4, 2, 1, 1, Map.of(), 0), new RunSummary.Latencies(none, none, none, none, none),
                new RunSummary.Throughput(0, 0, 0), new RunSummary.Goodput(Double.NaN, Double.NaN, 0, Double.NaN,
                        Double.NaN), new RunSummary.PrefixCache("disabled", 0, 0, 0, 0, 0, Map.of(), 0, 0),
                new RunSummary.KvCache(0, 0, 0, 0, 0, 0, 0), Map.of(), new RunSummary.Breakdown(Map.of(), Map.of(),
                        Map.of()), Map.of(), RunSummary.Cluster.colocated(replicas, "", List.of(), List.of(), Double.NaN,
                        Double.NaN));
    }

    private static List<String> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
