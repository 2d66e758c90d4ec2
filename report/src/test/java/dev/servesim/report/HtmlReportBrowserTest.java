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
    void runReportShowsGoodputResourcesAndCostOnlyWhereKnown() throws Exception {
        RunReport sample = SampleReports.run();
        String summary = """
                {"requests": {"completed": 10, "arrived": 10, "rejected": 0, "unfinished": 0},
                 "goodput": {"share": 0.975},
                 "resources": {"gpus": 24, "memory_per_gpu": {"gpu": "H100-SXM-80GB", "weights_gib": 32.86,
                   "reserve_gib": 2.1, "kv_cache_gib": 36.32}, "kv_tokens": 2855808, "max_concurrent_sequences": 1800,
                   "output_tokens_per_gpu_per_s": 318.2, "gpu_hours": 0.49,
                   "cost": {"usd_per_hour": 71.76, "usd_per_million_output_tokens": 2.61,
                            "price_source": "built-in table (approximate)"}}}
                """;
        Page known = open("resources.html", HtmlReport.render(new RunReport("planned", "", summary,
                sample.configYaml(), List.of(), sample.distributions())));
        // no SLO (goodput null) and no memory model or price: those rows are left out, not shown as 100% or zero
        Page unknown = open("no-resources.html", HtmlReport.render(new RunReport("plain", "",
                "{\"goodput\": {\"share\": null}, \"resources\": {\"gpus\": 0, \"cost\": {\"usd_per_hour\": null}}}",
                sample.configYaml(), List.of(), sample.distributions())));

        assertThat(known.status()).isEqualTo("ok");
        assertThat(known.dom()).contains("id=\"resources-table\"", "<th>goodput (within SLOs)</th>", ">97.5%</td>",
                "<th>GPUs</th>", ">24</td>", ">H100-SXM-80GB</td>", "<th>$ per hour</th>", ">71.8</td>",
                "<th>$ per million output tokens</th>", ">2.61</td>", "Prices: built-in table (approximate).");
        assertThat(unknown.status()).isEqualTo("ok");
        assertThat(unknown.dom()).doesNotContain("id=\"resources-table\"", "<th>goodput (within SLOs)</th>");
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

    @Test
    void planPageShowsTheRecommendationParetoChartsCandidatesAndRejections() throws Exception {
        Page page = open("plan.html", probed(HtmlReport.render(SamplePlans.plan(false))));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.charts().keySet()).containsExactly("pareto-0", "pareto-1");
        assertDrawn(page);
        assertThat(page.charts().get("pareto-0")).containsEntry("data-slo", "ttft_p99");
        assertThat(page.body().get("data-bare-axes")).as("axes without numbers").isEmpty();
        assertThat(page.body()).as("the table fits a 1280 px window").containsEntry("data-overflow", "false");
        assertThat(page.legends()).contains("chart-pareto-0:meets the SLOs", "chart-pareto-0:fails an SLO",
                "chart-pareto-0:Pareto front", "chart-pareto-0:SLO 500 ms", "chart-pareto-1:SLO 50 ms")
                .as("no legend entry for the error bars").noneMatch(legend -> legend.endsWith(":"));
        assertThat(page.content()).contains("<p class=\"subtitle\">4 configurations, 2 meet the SLOs, 1 pruned</p>",
                "<p id=\"slos\">SLOs: TTFT p99 \u2264 500 ms, TPOT p99 \u2264 50 ms</p>",
                "<p id=\"rate\">Rate: a target of 40 requests/s</p>",
                "<pre class=\"config\" id=\"vllm-serve\">vllm serve meta-llama/Llama-3.1-70B-Instruct",
                "<tr data-role=\"cheapest fewest_gpus\"><th>cheapest, fewest GPUs</th>",
                "<a href=\"chosen/config.yaml\"", "<a href=\"chosen/deployment.yaml\"", "<a href=\"chosen/report.html\"")
                .doesNotContain("partial plan (interrupted)", "No configuration meets the SLOs");

        List<List<Map<String, String>>> rows = page.tableRows("plan-table");
        assertThat(rows).as("header and one row per candidate").hasSize(5);
        List<List<Map<String, String>>> body = rows.subList(1, rows.size());
        assertThat(body).extracting(row -> cellOf(row, "class", "status-").get("text"))
                .containsExactly("meets", "meets", "fails", "pruned");
        assertThat(body.get(0).get(0)).as("recommended and on the Pareto front").containsEntry("text", "\u2605 \u25c6");
        assertThat(body.get(1).get(0)).containsEntry("text", "\u25c6");
        assertThat(body.get(2).get(1)).containsEntry("text", "H100-SXM-80GB");
        assertThat(cellOf(body.get(1), "data-key", "ttft_p99_ms")).containsEntry("text", "310 (290\u2013340)");
        assertThat(body.get(0).get(body.get(0).size() - 1))
                .containsEntry("text", "\u26a01").containsEntry("title", SamplePlans.CALIBRATION);
        assertThat(page.content()).contains("<li>\u26a01 " + SamplePlans.CALIBRATION + "</li>");

        String failed = SamplePlans.FAILED_REASON.replace(">", "&gt;");
        assertThat(page.content()).contains("<li data-status=\"fails\"><span class=\"reason\">" + failed
                        + "</span> (fails, 1): framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=2</li>",
                "<li data-status=\"pruned\"><span class=\"reason\">" + SamplePlans.PRUNED_REASON
                        + "</span> (pruned, 1): framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=1</li>");
        assertThat(page.content()).contains("<details id=\"evaluations\"><summary>The simulations of each candidate, in the "
                + "order run (6 evaluations)</summary>");
        assertThat(page.content().indexOf("id=\"recommendation\"")).isLessThan(page.content().indexOf("id=\"pareto\""));
        assertThat(page.content().indexOf("id=\"plan-table\"")).isLessThan(page.content().indexOf("id=\"rejected-list\""));
    }

    @Test
    void partialPlanSaysSoAtTheTop() throws Exception {
        Page page = open("partial.html", HtmlReport.render(SamplePlans.plan(true)));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.content()).contains("<p class=\"partial\" id=\"partial\">partial plan (interrupted)");
        assertThat(page.content().indexOf("partial plan (interrupted)")).isLessThan(page.content().indexOf("id=\"slos\""));
    }

    @Test
    void planWithoutChoiceOrPricesStillDraws() throws Exception {
        Page page = open("unpriced.html", probed(HtmlReport.render(SamplePlans.withoutChoiceOrPrices())));

        assertThat(page.status()).isEqualTo("ok");
        assertDrawn(page);
        assertThat(page.body().get("data-bare-axes")).as("axes without numbers").isEmpty();
        assertThat(page.body().get("data-axis-types")).contains("chart-pareto-0.x=linear");
        assertThat(page.content()).contains("<p class=\"no-choice\">No configuration meets the SLOs.</p>",
                        "<ul id=\"closest\"><li>framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=2: "
                                + "32 replicas of 2 \u00d7 H100-SXM-80GB (64 GPUs); TTFT p99 480 ms (limit 500), "
                                + "TPOT p99 112 ms (limit 50)</li></ul>",
                        "No prices known: the x axis counts GPUs instead of dollars.")
                .doesNotContain("id=\"vllm-serve\"", "id=\"recommendation-table\"", "<a href=");
        assertThat(page.tableRows("plan-table")).hasSize(5);
    }

    @Test
    void planTextFromUserConfigIsShownAsText() throws Exception {
        String hostile = "</script><script>document.body.dataset.injected = 'yes'</script><b>bold</b>";

        Page page = open("hostile.html", HtmlReport.render(SamplePlans.named(hostile)));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.body()).doesNotContainKey("data-injected");
        assertThat(page.content()).doesNotContain("<b>bold</b>")
                .contains("&lt;/script&gt;&lt;script&gt;document.body.dataset.injected = 'yes'&lt;/script&gt;"
                        + "&lt;b&gt;bold&lt;/b&gt;")
                .contains("<p id=\"rate\">Rate: the highest sustainable rate of each configuration</p>",
                        "<p id=\"slos\">SLOs: E2E p90 \u2264 20000 ms</p>");
        assertThat(page.charts().get("pareto-0")).containsEntry("data-points", "0").containsEntry("data-empty", "true");
    }

    @Test
    void chosenFilesLinkOnlyToRelativePaths() throws Exception {
        String plan = "{\"slo\": {\"ttft_p99\": 0.5}, \"chosen\": {\"name\": \"a\", \"vllm_serve\": \"vllm serve m\", "
                + "\"config\": \"javascript:document.body.dataset.injected='yes'\", \"kubernetes\": \"/etc/passwd\", "
                + "\"report\": \"chosen/report.html\"}, \"candidates\": []}";

        Page page = open("links.html", HtmlReport.render(new PlanReport("links", plan)));

        assertThat(page.status()).isEqualTo("ok");
        assertThat(page.content()).contains("<span>configuration (YAML): javascript:document.body.dataset.injected='yes'"
                        + "</span>", "<span>Kubernetes deployment: /etc/passwd</span>",
                "<a href=\"chosen/report.html\"", "<p class=\"subtitle\">0 configurations, 0 meet the SLOs</p>")
                .doesNotContain("href=\"javascript", "href=\"/etc");
        assertThat(page.charts().get("pareto-0")).containsEntry("data-empty", "true");
    }

    private static Map<String, String> cellOf(List<Map<String, String>> row, String attribute, String prefix) {
        return row.stream().filter(cell -> cell.getOrDefault(attribute, "").startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no cell with " + attribute + " " + prefix + " in " + row));
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
        /** The page's header and sections, without the scripts, whose text mentions every message. */
        String content() {
            int footer = dom.indexOf("<footer");
            assertThat(footer).as("footer in the dumped DOM").isPositive();
            return dom.substring(0, footer);
        }

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
