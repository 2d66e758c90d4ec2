package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.request.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard the distribution ships queries only metrics that the sink exports. */
class GrafanaDashboardTest {

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(Files.readString(Path.of(System.getProperty("servesim.dashboard"))));
    }

    /** Every {@code expr} of every panel (rows included). */
    static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode expr : dashboard.path("panels").findValues("expr")) {
            expressions.add(expr.asText());
        }
        return expressions;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions (followed by a parenthesis),
     * keywords, label names (inside braces or grouping clauses), durations or template variables.
     */
    static Set<String> metricNames(String expression) {
        String stripped = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String name = identifier.group(1);
            String rest = stripped.substring(identifier.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void extractsMetricNamesFromPromQl() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, run) (rate(a_bucket{run=~\"$run\", x=\"y{z}\"}"
                + "[$__rate_interval]))) / on (run) group_left b_total offset 5m + 1e3 * vllm:c_sum"))
                .containsExactly("a_bucket", "b_total", "vllm:c_sum");
    }

    @Test
    void isAnImportableDashboardWithADataSourceAndRunAndStrategyVariables() throws Exception {
        JsonNode dashboard = dashboard();

        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("title").asText()).isEqualTo("servesim");
        List<String> variables = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
        }
        assertThat(variables).containsExactly("DS_PROMETHEUS", "run", "cache_strategy");
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(10);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
        }
        for (String expression : expressions(dashboard)) {
            assertThat(expression).as("every query filters by the variables")
                    .contains("run=~\"$run\"", "cache_strategy=~\"$cache_strategy\"");
        }
    }

    @Test
    void queriesOnlyMetricsTheSinkExports(@TempDir Path folder) throws Exception {
        MetricSink sink = TestingSinks.create(folder, null);
        Set<String> exported;
        try {
            sink.onRunStarted();
            sink.onStep(new StepRecord(0, 1.0, 0.02, 512, 1, 2, 1, 1, 40, 100, 1));
            TestingSinks.serve(sink, completed(1, 512, 256, 8, 0.01, 0.05, 0.01));
            sink.onSnapshot(2.0, 0, new EngineLoad(1, 1, 40, 100));
            exported = TestingSinks.scrape(TestingSinks.address(folder)).sampleNames();
        } finally {
            sink.close();
        }

        JsonNode dashboard = dashboard();
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions(dashboard)) {
            queried.addAll(metricNames(expression));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher labelValues = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)")
                    .matcher(variable.path("definition").asText());
            if (labelValues.find()) {
                queried.add(labelValues.group(1));
            }
        }

        assertThat(queried).hasSizeGreaterThanOrEqualTo(15)
                .contains("servesim_request_ttft_seconds_bucket", "servesim_kv_usage",
                        "servesim_prefix_cache_hits_total", "servesim_requests_waiting");
        assertThat(exported).containsAll(queried);
    }
}
