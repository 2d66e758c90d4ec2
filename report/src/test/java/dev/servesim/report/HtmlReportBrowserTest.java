package dev.servesim.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens rendered pages in headless Chromium and reads the status the page's script leaves in the DOM. */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 180;
    private static final List<String> RUN_CHARTS =
            List.of("ttft", "e2e", "tpot", "throughput", "queue", "batch", "kv", "hit-rate");
    private static final List<String> COMPARE_CHARTS = List.of("ttft", "e2e", "tpot");
    private static final Pattern BODY = Pattern.compile("<body([^>]*)>");
    private static final Pattern CANVAS = Pattern.compile("<canvas([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");
    private static final Pattern HEADLINE_CELL = Pattern.compile("<td data-key=\"([\\w.]+)\">([^<]*)</td>");

    @TempDir
    Path directory;

    @BeforeEach
    void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed: apt-get install chromium");
    }

    @Test
    void runReportDrawsEveryChart() throws Exception {
        Page page = open("report.html", HtmlReport.render(SampleReports.run()));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.charts().keySet()).containsExactlyElementsOf(RUN_CHARTS);
        assertDrawn(page);
        assertThat(page.headline()).containsEntry("requests.completed", "960")
                .containsEntry("throughput.output_tokens_per_s", "2065")
                .doesNotContainValue("\u2013");
        // two replicas in the summary: one row each, and the cluster's imbalance
        assertThat(page.dom()).contains("id=\"replica-table\"", "<td>25.0%</td>", "<td>50.0%</td>",
                "router round-robin; load imbalance (max / mean): requests 1.04");
    }

    @Test
    void comparisonReportDrawsEveryChart() throws Exception {
        Page page = open("compare.html", HtmlReport.render(SampleReports.comparison()));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.charts().keySet()).containsExactlyElementsOf(COMPARE_CHARTS);
        assertDrawn(page);
        assertThat(page.dom()).contains("<td class=\"variant\">no-cache</td>", "<td class=\"variant\">prefix-cache</td>",
                "<td class=\"variant\">lmcache-offload</td>");
        assertThat(page.headline()).doesNotContainValue("\u2013");
    }

    @Test
    void chartsWithoutDataAreMarkedEmpty() throws Exception {
        RunReport sample = SampleReports.run();
        RunReport report = new RunReport("latency only", "", "not json", sample.configYaml(), List.of(),
                sample.distributions());

        Page page = open("empty.html", HtmlReport.render(report));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.charts().get("ttft")).doesNotContainKey("data-empty");
        for (String chart : Series.CHARTS) {
            assertThat(page.charts().get(chart)).containsEntry("data-points", "0").containsEntry("data-empty", "true");
        }
        assertThat(page.dom()).contains("<p class=\"no-data\">no data</p>", "could not be parsed");
    }

    @Test
    void scriptErrorsReachTheStatus() throws Exception {
        String html = HtmlReport.render(SampleReports.run())
                .replace("document.body.dataset.status = 'ok';", "notDefinedAnywhere();");

        Page page = open("broken.html", html);

        assertThat(page.status()).startsWith("error: ").contains("notDefinedAnywhere");
    }

    @Test
    void logarithmicProbabilityAxisRedraws() throws Exception {
        String html = HtmlReport.render(SampleReports.comparison()).replace("document.body.dataset.status = 'ok';",
                "const toggle = document.getElementById('log-probability');"
                        + " toggle.checked = true;"
                        + " toggle.dispatchEvent(new Event('change'));"
                        + " document.body.dataset.axis = Chart.getChart('chart-ttft').scales.y.type;"
                        + " document.body.dataset.status = 'ok';");

        Page page = open("log.html", html);

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.body()).containsEntry("data-axis", "logarithmic");
    }

    private static void assertDrawn(Page page) {
        page.charts().forEach((chart, attributes) -> {
            assertThat(attributes.get("data-empty")).as("chart %s is empty", chart).isNull();
            assertThat(Integer.parseInt(attributes.getOrDefault("data-points", "0")))
                    .as("points of chart %s", chart).isPositive();
        });
    }

    private Page open(String name, String html) throws IOException, InterruptedException {
        Path file = directory.resolve(name);
        Files.writeString(file, html, UTF_8);
        Path profile = Files.createDirectory(directory.resolve(name + ".profile"));
        Path output = directory.resolve(name + ".dom");
        Path errors = directory.resolve(name + ".stderr");
        // without the networking switches Chromium keeps trying to reach update and sync servers
        Process process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                file.toUri().toString())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not end within " + TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(errors, UTF_8));
        }
        String dom = Files.readString(output, UTF_8);
        if (process.exitValue() != 0 || dom.isBlank()) {
            fail("chromium exited with " + process.exitValue() + "; stderr:\n" + Files.readString(errors, UTF_8));
        }
        return new Page(dom);
    }

    private record Page(String dom) {
        String status() {
            return body().get("data-status");
        }

        Map<String, String> body() {
            Matcher body = BODY.matcher(dom);
            assertThat(body.find()).as("body element in the dumped DOM").isTrue();
            return attributes(body.group(1));
        }

        /** The attributes of each chart canvas, by chart id, in page order. */
        Map<String, Map<String, String>> charts() {
            Map<String, Map<String, String>> charts = new LinkedHashMap<>();
            Matcher canvas = CANVAS.matcher(dom);
            while (canvas.find()) {
                Map<String, String> attributes = attributes(canvas.group(1));
                charts.put(attributes.get("data-chart"), attributes);
            }
            return charts;
        }

        /** The cells of the headline table, by summary.json key; the last row wins. */
        Map<String, String> headline() {
            Map<String, String> cells = new LinkedHashMap<>();
            Matcher cell = HEADLINE_CELL.matcher(dom);
            while (cell.find()) {
                cells.put(cell.group(1), cell.group(2));
            }
            assertThat(cells).as("headline table").isNotEmpty();
            return cells;
        }

        private static Map<String, String> attributes(String tag) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(tag);
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
            return attributes;
        }
    }
}
