package dev.servesim.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private static final Pattern TABLE_ROW = Pattern.compile("<tr[^>]*>(.*?)</tr>");
    private static final Pattern TABLE_CELL = Pattern.compile("<t([dh])([^>]*)>([^<]*)</t[dh]>");
    private static final List<String> COMPARE_KEYS = List.of("latency_ms.ttft.p50", "latency_ms.ttft.p99",
            "latency_ms.tpot.p50", "latency_ms.tpot.p99", "latency_ms.e2e.p50", "latency_ms.e2e.p99",
            "throughput.requests_per_s", "throughput.output_tokens_per_s", "goodput.share",
            "prefix_cache.token_hit_rate", "kv_cache.preemptions");
    /**
     * Run just before the page reports "ok": reads every Chart.js chart and leaves in the body the number of axes, the
     * axes without a single numbered tick, the axis types, every legend entry, and whether the page scrolls sideways.
     */
    private static final String PROBE = "const probe = { axes: 0, bare: [], types: [], legends: [] };"
            + " Object.values(Chart.instances).forEach(function (chart) {"
            + "   Object.values(chart.scales).forEach(function (scale) {"
            + "     probe.axes++;"
            + "     probe.types.push(chart.canvas.id + '.' + scale.id + '=' + scale.type);"
            + "     const numbered = scale.ticks.filter(function (tick) { return [].concat(tick.label).join('') !== ''; });"
            + "     if (numbered.length === 0) { probe.bare.push(chart.canvas.id + '.' + scale.id); }"
            + "   });"
            + "   chart.legend.legendItems.forEach(function (item) { probe.legends.push(chart.canvas.id + ':' + item.text); });"
            + " });"
            + " document.body.dataset.axes = String(probe.axes);"
            + " document.body.dataset.bareAxes = probe.bare.join(' ');"
            + " document.body.dataset.axisTypes = probe.types.join(' ');"
            + " document.body.dataset.legends = probe.legends.join('|');"
            + " document.body.dataset.overflow = String(document.documentElement.scrollWidth"
            + "   > document.documentElement.clientWidth);"
            + " document.body.dataset.status = 'ok';";

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
        // the sample's summaries have latency and throughput only; the other figures are dashes
        assertThat(page.headline()).containsOnlyKeys(COMPARE_KEYS)
                .containsEntry("goodput.share", "\u2013").containsEntry("kv_cache.preemptions", "\u2013");
        assertThat(COMPARE_KEYS.subList(0, 8))
                .allSatisfy(key -> assertThat(page.headline().get(key)).isNotEqualTo("\u2013"));
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

    @Test
    void everyAxisIsNumberedAndLegendsCountRequests() throws Exception {
        RunReport sample = SampleReports.run();
        Page page = open("probed.html", probed(HtmlReport.render(sample)));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(Integer.parseInt(page.body().get("data-axes"))).isGreaterThanOrEqualTo(2 * RUN_CHARTS.size());
        assertThat(page.body().get("data-bare-axes")).as("axes without numbers").isEmpty();
        assertThat(page.body().get("data-axis-types")).as("latency over more than a decade")
                .contains("chart-ttft.x=logarithmic");
        for (Distribution distribution : sample.distributions()) {
            if (!distribution.metric().equals("tpot")) {
                assertThat(page.legends()).contains("chart-" + distribution.metric() + ":" + distribution.cohort()
                        + " (n=" + distribution.requests() + ")");
            }
        }
    }

    @Test
    void narrowLatencyRangeGetsALinearNumberedAxis() throws Exception {
        // the quickstart's E2E: 100 quantiles of 2000 requests, all between 1.5 and 4 seconds (less than a decade)
        double[] quantiles = new double[100];
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = 1500 + 25 * i;
        }
        RunReport sample = SampleReports.run();
        RunReport report = new RunReport("quickstart", "", sample.summaryJson(), "", List.of(),
                List.of(new Distribution("e2e", "all", quantiles, 2000), new Distribution("ttft", "all", quantiles, 2000)));

        Page page = open("narrow.html", probed(HtmlReport.render(report)));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.body().get("data-bare-axes")).as("axes without numbers").isEmpty();
        assertThat(page.body().get("data-axis-types")).contains("chart-e2e.x=linear");
        assertThat(page.legends()).contains("chart-e2e:all (n=2000)").noneMatch(legend -> legend.contains("n=100)"));
    }

    @Test
    void comparisonOfASweepHasTheTableChartsPerKeyAndLegendsPerVariant() throws Exception {
        ComparisonReport sweep = SampleReports.sweep();
        Page page = open("sweep.html", probed(HtmlReport.render(sweep)));

        assertThat(page.status()).isEqualTo("ok");
        assertDrawn(page);
        assertThat(page.body().get("data-bare-axes")).as("axes without numbers").isEmpty();
        assertThat(page.body()).as("8 variants fit a 1280 px window").containsEntry("data-overflow", "false");
        // one latency and one throughput chart per varied key, in --vary order
        assertThat(page.charts().values().stream().filter(chart -> chart.get("data-chart").endsWith("-latency"))
                .map(chart -> chart.get("data-vary-key")))
                .containsExactly("cache.strategy", "framework.max_num_seqs");
        assertThat(page.charts()).containsKeys("vary-0-throughput", "vary-1-throughput");
        // a legend entry per variant, counting requests (960), not the 100 quantiles drawn
        List<String> ttftLegends = page.legends().stream().filter(legend -> legend.startsWith("chart-ttft:")).toList();
        assertThat(ttftLegends).hasSize(sweep.variants().size())
                .allMatch(legend -> legend.endsWith(" (n=960)"))
                .contains("chart-ttft:" + sweep.variants().get(0).name() + " (n=960)");

        List<List<Map<String, String>>> rows = page.tableRows("compare-table");
        assertThat(rows).hasSize(2 + sweep.variants().size());
        assertThat(rows.get(1).stream().map(cell -> cell.get("data-key")).filter(key -> key != null))
                .containsExactlyElementsOf(COMPARE_KEYS);
        assertThat(rows.get(1).get(0).get("text")).isEqualTo("cache.strategy");
        List<List<Map<String, String>>> body = rows.subList(2, rows.size());
        assertThat(bestRows(body, "goodput.share")).containsExactly(7);
        assertThat(bestRows(body, "prefix_cache.token_hit_rate")).containsExactly(4, 5, 6, 7);
        assertThat(bestRows(body, "kv_cache.preemptions")).containsExactly(3, 7);
        assertThat(bestRows(body, "throughput.requests_per_s")).as("all equal: no best").isEmpty();
        for (String key : COMPARE_KEYS.subList(0, 6)) {
            assertThat(bestRows(body, key)).as("best of %s", key).isNotEmpty();
        }
        assertThat(body.get(7).get(2)).containsEntry("data-key", "latency_ms.ttft.p50");
        assertThat(body.get(7).stream().filter(cell -> "kv_cache.preemptions".equals(cell.get("data-key"))))
                .singleElement().satisfies(cell -> assertThat(cell).containsEntry("text", "5"));
    }

    /** The indices of the body rows whose cell of {@code key} is marked best. */
    private static List<Integer> bestRows(List<List<Map<String, String>>> body, String key) {
        List<Integer> best = new ArrayList<>();
        for (int row = 0; row < body.size(); row++) {
            for (Map<String, String> cell : body.get(row)) {
                if (key.equals(cell.get("data-key")) && "best".equals(cell.get("class"))) {
                    best.add(row);
                }
            }
        }
        return best;
    }

    private static String probed(String html) {
        assertThat(html).contains("document.body.dataset.status = 'ok';");
        return html.replace("document.body.dataset.status = 'ok';", PROBE);
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
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
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

        /** Legend entries as {@code canvas-id:text}, left by {@link #PROBE}. */
        List<String> legends() {
            return List.of(body().get("data-legends").split("\\|"));
        }

        /** The rows of a table, each a list of cells: their attributes plus {@code text}. */
        List<List<Map<String, String>>> tableRows(String id) {
            int start = dom.indexOf("<table id=\"" + id + "\"");
            assertThat(start).as("table %s", id).isNotNegative();
            String table = dom.substring(start, dom.indexOf("</table>", start));
            List<List<Map<String, String>>> rows = new ArrayList<>();
            Matcher row = TABLE_ROW.matcher(table);
            while (row.find()) {
                List<Map<String, String>> cells = new ArrayList<>();
                Matcher cell = TABLE_CELL.matcher(row.group(1));
                while (cell.find()) {
                    Map<String, String> attributes = attributes(cell.group(2));
                    attributes.put("text", cell.group(3));
                    cells.add(attributes);
                }
                rows.add(cells);
            }
            return rows;
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
