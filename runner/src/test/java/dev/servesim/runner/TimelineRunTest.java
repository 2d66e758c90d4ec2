package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.config.ConfigSource;
import dev.servesim.runner.sinks.config.TimelineSinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code timeline} sink in real runs of the serial test engine. */
class TimelineRunTest {

    // serial engine: first token 0.1 s after a request starts, then one token every 0.01 s, 3 tokens each
    private static final String THREE_REQUESTS = """
            name: three
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: scripted, arrivals: [0.0, 0.05, 1.0], output_tokens: 3}
            sinks: [timeline]
            """;

    private static final String RANDOM_REQUESTS = """
            name: random
            seed: 7
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            workload: {source: random, count: 60}
            sinks: [json, timeline]
            """;

    @Test
    void eachRequestIsASliceOnALaneWithItsPhasesInMicroseconds(@TempDir Path out) throws Exception {
        RunResult result = SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS), out, new RunControl());

        assertThat(result.files()).containsExactly("config.resolved.yaml", "timeline.json");
        JsonNode trace = ConfigMappers.json().readTree(out.resolve("timeline.json").toFile());
        // r0: arrives and starts at 0, first token 0.10, done 0.12; r1: arrives 0.05 while r0 runs (another lane),
        // starts 0.12, first token 0.22, done 0.24; r2: arrives 1.0, after r0 ended, so on r0's lane again
        Map<String, Long> lanes = threadNames(trace);
        assertThat(slices(trace, lanes)).containsExactly(
                "lane 1 request 0 0.000+120000.000 status=completed output_tokens=3",
                "lane 1 prefill 0.000+100000.000",
                "lane 1 decode 100000.000+20000.000",
                "lane 2 request 1 50000.000+190000.000 status=completed output_tokens=3",
                "lane 2 queue 50000.000+70000.000",
                "lane 2 prefill 120000.000+100000.000",
                "lane 2 decode 220000.000+20000.000",
                "lane 1 request 2 1000000.000+120000.000 status=completed output_tokens=3",
                "lane 1 prefill 1000000.000+100000.000",
                "lane 1 decode 1100000.000+20000.000");
        assertThat(lanes).containsOnlyKeys("steps", "lane 1", "lane 2");
        assertThat(trace.at("/otherData/run_name").asText()).isEqualTo("three");
        assertThat(trace.at("/otherData/partial").asBoolean()).isFalse();
        assertThat(trace.at("/otherData/requests_recorded").asLong()).isEqualTo(3);
        // the serial engine reports no steps; the load snapshots give the counters
        assertThat(events(trace)).filteredOn(event -> event.get("ph").asText().equals("C"))
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("name").asText()).isIn("running", "waiting"));
    }

    @Test
    void theSameSeedGivesTheSameFileAndLanesNeverOverlap(@TempDir Path out) throws Exception {
        SimulationRunner.run(TestingConfigs.load(RANDOM_REQUESTS), out.resolve("a"), new RunControl());
        SimulationRunner.run(TestingConfigs.load(RANDOM_REQUESTS), out.resolve("b"), new RunControl());
        SimulationRunner.run(TestingConfigs.load(RANDOM_REQUESTS, "seed=8"), out.resolve("c"), new RunControl());

        byte[] first = Files.readAllBytes(out.resolve("a/timeline.json"));
        assertThat(Files.readAllBytes(out.resolve("b/timeline.json"))).isEqualTo(first);
        assertThat(Files.readAllBytes(out.resolve("c/timeline.json"))).isNotEqualTo(first);

        JsonNode trace = ConfigMappers.json().readTree(first);
        // per thread, the requests in time order: each starts after the previous one ended
        Map<Long, List<double[]>> requestsByThread = new TreeMap<>();
        long requests = 0;
        for (JsonNode event : events(trace)) {
            if (event.get("name").asText().startsWith("request ")) {
                requests++;
                requestsByThread.computeIfAbsent(event.get("tid").asLong(), tid -> new ArrayList<>()).add(
                        new double[] {event.get("ts").asDouble(), event.get("ts").asDouble() + event.get("dur").asDouble()});
            }
        }
        assertThat(requests).isEqualTo(60);
        assertThat(requestsByThread).hasSizeGreaterThan(1);
        for (List<double[]> lane : requestsByThread.values()) {
            lane.sort((x, y) -> Double.compare(x[0], y[0]));
            for (int i = 1; i < lane.size(); i++) {
                assertThat(lane.get(i)[0]).isGreaterThanOrEqualTo(lane.get(i - 1)[1]);
            }
        }
    }

    @Test
    void aRunFailingMidwayStillWritesItsTimelineMarkedPartial(@TempDir Path out) throws Exception {
        assertThatThrownBy(() -> SimulationRunner.run(TestingConfigs.load(THREE_REQUESTS, "workload.fail_at=0.5"),
                out, new RunControl())).hasMessageContaining("scripted failure");

        JsonNode trace = ConfigMappers.json().readTree(out.resolve("timeline.json").toFile());
        assertThat(trace.at("/otherData/partial").asBoolean()).isTrue();
        assertThat(trace.at("/otherData/stop_reason").asText()).startsWith("failed: arrivals: scripted failure");
        assertThat(trace.at("/otherData/requests_recorded").asLong()).isEqualTo(2);
        assertThat(files(out)).noneMatch(name -> name.endsWith(".tmp"));
    }

    @Test
    void aTimelineThatWasNotFinishedIsRemoved(@TempDir Path out) throws Exception {
        List<ServesimPlugin> plugins = new ArrayList<>(TestingConfigs.registryPlugins());
        // a sink that fails when the run finishes, before the sinks listed after it are told
        plugins.add(TestingConfigs.sinkPlugin("failing", () -> new MetricSink() {
            @Override
            public void onRunFinished(RunSummary summary) {
                throw new IllegalStateException("cannot finish");
            }
        }));
        // the failing sink comes first, so the timeline is never told the run finished
        ConfigSource source = ConfigSource.parse(THREE_REQUESTS.replace("sinks: [timeline]",
                "sinks: [failing, timeline]"), "failing.yaml", false);
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(plugins)).bind(source, "failing");

        assertThatThrownBy(() -> SimulationRunner.run(configuration, out, new RunControl()))
                .hasMessageContaining("cannot finish");

        assertThat(files(out)).noneMatch(name -> name.startsWith("timeline.json"));
    }

    @Test
    void configurationDefaultsKeysAndRefusals() {
        TimelineSinkConfig defaults = (TimelineSinkConfig) TestingConfigs.load(THREE_REQUESTS).sinks().get(0).config();
        assertThat(defaults).isEqualTo(new TimelineSinkConfig("timeline.json", 100_000, 200_000));

        RunConfiguration configured = TestingConfigs.load(THREE_REQUESTS.replace("sinks: [timeline]",
                "sinks: [{name: timeline, file: trace.json, max_requests: 5, max_steps: 0}]"));
        assertThat(configured.sinks().get(0).config()).isEqualTo(new TimelineSinkConfig("trace.json", 5, 0));

        assertThatThrownBy(() -> TestingConfigs.load(THREE_REQUESTS.replace("sinks: [timeline]",
                "sinks: [{name: timeline, max_request: 5}]"))).hasMessageContaining("max_request: unknown key");
        assertThatThrownBy(() -> TestingConfigs.load(THREE_REQUESTS.replace("sinks: [timeline]",
                "sinks: [{name: timeline, max_steps: -1}]"))).hasMessageContaining("max_steps: must be zero or positive");
        assertThatThrownBy(() -> TestingConfigs.load(THREE_REQUESTS.replace("sinks: [timeline]",
                "sinks: [{name: timeline, file: ../timeline.json}]"))).hasMessageContaining("file: must be a plain file");
    }

    /** Thread names of the first process, mapped to their thread ids. */
    private static Map<String, Long> threadNames(JsonNode trace) {
        Map<String, Long> names = new TreeMap<>();
        for (JsonNode event : events(trace)) {
            if (event.get("name").asText().equals("thread_name") && event.get("pid").asInt() == 1) {
                names.put(event.at("/args/name").asText(), event.get("tid").asLong());
            }
        }
        return names;
    }

    /** The X events on request lanes: lane, name, start+duration in µs, and a few arguments. */
    private static List<String> slices(JsonNode trace, Map<String, Long> lanes) {
        List<String> slices = new ArrayList<>();
        for (JsonNode event : events(trace)) {
            long tid = event.get("tid").asLong();
            if (!event.get("ph").asText().equals("X") || tid == lanes.get("steps")) {
                continue;
            }
            String lane = lanes.entrySet().stream().filter(entry -> entry.getValue() == tid).findFirst()
                    .orElseThrow().getKey();
            String text = String.format(java.util.Locale.ROOT, "%s %s %.3f+%.3f", lane, event.get("name").asText(),
                    event.get("ts").asDouble(), event.get("dur").asDouble());
            if (event.has("args")) {
                text += " status=" + event.at("/args/status").asText() + " output_tokens="
                        + event.at("/args/output_tokens").asText();
            }
            slices.add(text);
        }
        return slices;
    }

    private static List<JsonNode> events(JsonNode trace) {
        List<JsonNode> events = new ArrayList<>();
        trace.get("traceEvents").forEach(events::add);
        return events;
    }

    private static List<String> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
