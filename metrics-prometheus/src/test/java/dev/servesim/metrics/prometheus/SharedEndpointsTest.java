package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingSockets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of one process on one port: one endpoint, each run under its own {@code run} label. */
class SharedEndpointsTest {

    @TempDir
    Path folder;

    // one plugin, as one command loads it: its sinks share endpoints
    private final MetricSinkFactory<PrometheusSinkConfig> factory =
            TestingSinks.factory(TestingPlugins.plugin("prometheus"));
    private final List<MetricSink> sinks = new ArrayList<>();

    @AfterEach
    void closeSinks() {
        sinks.forEach(MetricSink::close);
    }

    private MetricSink sink(String run, int port) throws IOException {
        Path output = Files.createDirectories(folder.resolve(run));
        MetricSink sink = factory.create(new PrometheusSinkConfig("127.0.0.1", port, null, null),
                new TestingSinks.Context(run, output, () -> 1.0, TestingSinks.RESOLVED_YAML));
        sinks.add(sink);
        return sink;
    }

    private String address(String run) throws IOException {
        return TestingSinks.address(folder.resolve(run));
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    /** The family names of the {@code # TYPE} lines, in order, repeats included. */
    private static List<String> typeLines(Exposition exposition) {
        List<String> names = new ArrayList<>();
        for (String line : exposition.text().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                names.add(line.split(" ")[2]);
            }
        }
        return names;
    }

    @Test
    void twoRunsOnTheSamePortAreServedByOneEndpointEachUnderItsRunLabel() throws Exception {
        MetricSink first = sink("a", 0);
        int port = port(address("a"));
        MetricSink second = sink("b", port);
        TestingSinks.serve(first, completed(1, 100, 0, 10, 0.0, 0.3, 0.02));
        TestingSinks.serve(second, completed(1, 100, 0, 10, 0.0, 0.3, 0.02));
        TestingSinks.serve(second, completed(2, 100, 0, 10, 0.0, 0.3, 0.02));

        assertThat(address("b")).as("the address file of the attached run").isEqualTo(address("a"));
        Exposition metrics = TestingSinks.scrape(address("a"));
        assertThat(metrics.value("servesim_requests_total", "run", "a", "status", "completed")).isEqualTo(1);
        assertThat(metrics.value("servesim_requests_total", "run", "b", "status", "completed")).isEqualTo(2);
        assertThat(metrics.value("servesim_simulated_time_seconds", "run", "b")).isZero();
        assertThat(metrics.value("vllm:request_success_total", "run", "a", "finished_reason", "length")).isEqualTo(1);
        assertThat(metrics.value("vllm:request_success_total", "run", "b", "finished_reason", "length")).isEqualTo(2);
        assertThat(metrics.find("vllm:num_requests_running")).extracting(sample -> sample.labels().get("run"))
                .containsExactly("a", "b");
        List<String> types = typeLines(metrics);
        assertThat(types).as("one # TYPE line per family").doesNotHaveDuplicates()
                .contains("vllm:num_requests_running", "servesim_requests_total", "vllm:e2e_request_latency_seconds");
        assertThat(metrics.text().lines().filter(line -> line.startsWith("# HELP "))).hasSameSizeAs(types);
    }

    @Test
    void aRunServedAloneKeepsVllmsLabelsAndOnceSharedKeepsItsRunLabel() throws Exception {
        sink("a", 0);
        String url = address("a");
        assertThat(TestingSinks.scrape(url).find("vllm:num_requests_running").get(0).labels())
                .as("alone, exactly vLLM's labels").containsOnlyKeys("engine", "model_name");

        sink("b", port(url)).close();
        assertThat(TestingSinks.scrape(url).find("vllm:num_requests_running").get(0).labels())
                .as("after another run came and went: the same series as while shared")
                .containsOnlyKeys("engine", "model_name", "run").containsEntry("run", "a");
    }

    @Test
    void closingOneRunKeepsTheOthersServedAndClosingAllFreesThePort() throws Exception {
        MetricSink first = sink("a", 0);
        String url = address("a");
        MetricSink second = sink("b", port(url));

        first.close();
        Exposition remaining = TestingSinks.scrape(url);
        assertThat(remaining.find("servesim_requests_total", "run", "a")).isEmpty();
        assertThat(remaining.value("servesim_requests_total", "run", "b", "status", "completed")).isZero();
        assertThat(typeLines(remaining)).doesNotHaveDuplicates();

        second.close();
        assertThatThrownBy(() -> TestingSinks.scrape(url)).isInstanceOf(IOException.class);
        MetricSink again = TestingSinks.create(new PrometheusSinkConfig("127.0.0.1", port(url), null, null),
                new TestingSinks.Context("c", Files.createDirectories(folder.resolve("c")), () -> 0,
                        TestingSinks.RESOLVED_YAML));
        sinks.add(again);
        assertThat(TestingSinks.address(folder.resolve("c"))).as("bound afresh by another plugin").isEqualTo(url);
    }

    @Test
    void aSecondRunOfTheSameNameIsRefusedAndTheFirstStaysServed() throws Exception {
        sink("same", 0);
        String url = address("same");
        Path other = Files.createDirectories(folder.resolve("other"));

        assertThatThrownBy(() -> factory.create(new PrometheusSinkConfig("127.0.0.1", port(url), null, null),
                new TestingSinks.Context("same", other, () -> 0, TestingSinks.RESOLVED_YAML)))
                .isInstanceOf(ServesimException.class)
                .hasMessage("sinks.prometheus: run 'same' is already served at " + url + " by another run in this "
                        + "process; runs that share an endpoint need names of their own (name:), or another port")
                .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        assertThat(other.resolve(PrometheusSink.ADDRESS_FILE)).doesNotExist();
        assertThat(TestingSinks.scrape(url).value("servesim_requests_total", "run", "same", "status", "completed"))
                .isZero();
    }

    @Test
    void portZeroGivesEveryRunAnEndpointOfItsOwn() throws Exception {
        sink("a", 0);
        sink("b", 0);

        assertThat(port(address("a"))).isNotEqualTo(port(address("b")));
        Exposition a = TestingSinks.scrape(address("a"));
        assertThat(a.find("servesim_requests_total", "run", "b")).isEmpty();
        assertThat(a.find("vllm:num_requests_running").get(0).labels()).doesNotContainKey("run");
    }

    @Test
    void sinksOfAnotherPluginInstanceDoNotShare() throws Exception {
        sink("a", 0);
        int port = port(address("a"));
        ServesimPlugin other = TestingPlugins.plugin("prometheus");

        assertThatThrownBy(() -> TestingSinks.factory(other).create(
                new PrometheusSinkConfig("127.0.0.1", port, null, null),
                new TestingSinks.Context("b", Files.createDirectories(folder.resolve("b")), () -> 0,
                        TestingSinks.RESOLVED_YAML)))
                .isInstanceOf(ServesimException.class)
                .hasMessageStartingWith("sinks.prometheus.port: cannot listen on 127.0.0.1:" + port);
    }

    /**
     * Threads attach and detach runs on one port while another scrapes: every scrape is whole (one {@code # TYPE}
     * per family), and at the end only the run that stayed is served.
     */
    @Test
    void runsAttachAndDetachFromSeveralThreadsSafely() throws Exception {
        sink("anchor", 0);
        String url = address("anchor");
        int threads = 4;
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        AtomicBoolean attaching = new AtomicBoolean(true);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        String run = "t" + thread + "-" + round;
                        Path output = Files.createDirectories(folder.resolve(run));
                        MetricSink sink = factory.create(new PrometheusSinkConfig("127.0.0.1", port(url), null,
                                null), new TestingSinks.Context(run, output, () -> 0, TestingSinks.RESOLVED_YAML));
                        TestingSinks.serve(sink, completed(round, 100, 0, 2, 0.0, 0.1, 0.01));
                        sink.close();
                    }
                    return null;
                }));
            }
            Future<Integer> scrapes = pool.submit(() -> {
                int count = 0;
                // bounded: at most 10,000 scrapes even if the workers were slow
                while ((attaching.get() || count == 0) && count < 10_000) {
                    Exposition metrics = TestingSinks.scrape(url);
                    assertThat(typeLines(metrics)).doesNotHaveDuplicates();
                    assertThat(metrics.value("servesim_requests_total", "run", "anchor", "status", "completed"))
                            .isZero();
                    count++;
                }
                return count;
            });
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            attaching.set(false);
            assertThat(scrapes.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            attaching.set(false);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        Exposition last = TestingSinks.scrape(url);
        assertThat(last.find("servesim_requests_total")).extracting(sample -> sample.labels().get("run"))
                .containsOnly("anchor");
        assertThat(address("t3-9")).isEqualTo(url);
    }

    /** A client stalled in its request does not keep the last run's detach from closing the endpoint. */
    @Test
    void theLastRunClosesTheEndpointWhileAClientHoldsAStalledConnection() throws Exception {
        MetricSink first = sink("a", 0);
        String url = address("a");
        MetricSink second = sink("b", port(url));
        try (TestingSockets stalled = new TestingSockets(URI.create(url))) {
            stalled.open("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            first.close();
            String body = TestingSinks.send("GET", url).body();
            assertThat(body).contains("run=\"b\"").doesNotContain("run=\"a\"");
            TestingConnections.scrapesAreAnsweredInTime(URI.create(url), 3, body);

            second.close();
            assertThatThrownBy(() -> TestingSinks.scrape(url)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void mergesSameNamedFamiliesOfSeveralRunsIntoOne() {
        MetricSnapshots a = new MetricSnapshots(counter("requests", "a", 1), gauge("load", "a"));
        MetricSnapshots b = new MetricSnapshots(counter("requests", "b", 2));

        MetricSnapshots merged = SharedExposition.merge(List.of(a, b));

        assertThat(merged.size()).isEqualTo(2);
        assertThat(merged.stream().filter(family -> family.getMetadata().getName().equals("requests")).findFirst()
                .orElseThrow().getDataPoints()).hasSize(2);
        assertThatThrownBy(() -> SharedExposition.merge(List.of(a, new MetricSnapshots(gauge("requests", "b")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requests has different types");
        assertThatThrownBy(() -> SharedExposition.merge(List.of(a, a))).as("the same series twice")
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static CounterSnapshot counter(String name, String run, long value) {
        return CounterSnapshot.builder().name(name).help("h").dataPoint(CounterDataPointSnapshot.builder()
                .value(value).labels(Labels.of("run", run)).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String run) {
        return GaugeSnapshot.builder().name(name).help("h").dataPoint(GaugeDataPointSnapshot.builder()
                .value(1).labels(Labels.of("run", run)).build()).build();
    }
}
