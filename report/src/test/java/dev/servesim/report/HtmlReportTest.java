package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final Pattern SCRIPT_END = Pattern.compile("(?i)</script");
    // the banners of Chart.js and its bundled @kurkle/color name their home pages; that text is never loaded
    private static final Pattern LICENSE_BANNER = Pattern.compile("/\\*!.*?\\*/", Pattern.DOTALL);
    private static final Pattern RESOURCE_ATTRIBUTE = Pattern.compile("(?i)\\s(src|href|srcset|action|poster)\\s*=");

    @Test
    void runReportIsSelfContained() {
        assertSelfContained(HtmlReport.render(SampleReports.run()));
    }

    @Test
    void comparisonReportIsSelfContained() {
        assertSelfContained(HtmlReport.render(SampleReports.comparison()));
    }

    @Test
    void inlinesChartJsWithItsLicenseNotice() {
        String html = HtmlReport.render(SampleReports.run());

        assertThat(html).contains("<!--\nChart.js 4.4.1, included below:\n\nThe MIT License (MIT)\n\n"
                + "Copyright (c) 2014-2022 Chart.js Contributors");
        assertThat(html).contains("Permission is hereby granted, free of charge");
        assertThat(html.indexOf("Permission is hereby granted")).isLessThan(html.indexOf("window.Chart="));
        assertThat(html).contains(" * Chart.js v4.4.1", " * @kurkle/color v0.3.2", " * Released under the MIT License");
        assertThat(html).doesNotContain("sourceMappingURL");
    }

    @Test
    void showsTheConfigurationEscapedInAPre() {
        RunReport sample = SampleReports.run();
        String config = "name: a<b & c>\nnote: \"</script><script>alert(1)</script>\" @@DATA@@\n";
        RunReport report = new RunReport(sample.title(), sample.subtitle(), sample.summaryJson(), config,
                sample.series(), sample.distributions());

        String html = HtmlReport.render(report);

        assertThat(html).contains("<pre class=\"config\" id=\"config\">name: a&lt;b &amp; c&gt;\nnote: "
                + "&quot;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot; @@DATA@@\n</pre>");
        assertThat(HtmlReport.render(SampleReports.run())).contains("max_num_seqs: 256");
    }

    @Test
    void textThatCouldCloseAScriptIsEscapedEverywhere() {
        String hostile = "</script><!-- <script>alert(1)</script>";
        RunReport sample = SampleReports.run();
        RunReport report = new RunReport(hostile, hostile, "{\"note\": \"" + hostile + "\"}", hostile,
                List.of(new Series("queue", hostile, hostile, new double[] {0, 1}, new double[] {1, 2})),
                List.of(new Distribution("ttft", hostile, new double[] {1, 2}),
                        new Distribution("tpot", hostile, new double[] {1, 2})));
        ComparisonReport comparison = new ComparisonReport(hostile,
                List.of(new ComparisonReport.Variant(hostile, hostile, sample.distributions())));

        for (String html : List.of(HtmlReport.render(report), HtmlReport.render(comparison))) {
            // the four script elements of the page: onerror hook, data, Chart.js, drawing script
            assertThat(count(SCRIPT_END, html)).isEqualTo(4);
            assertThat(html.split("<!--", -1)).hasSize(2);
            assertThat(html).doesNotContain("<script>alert");
        }
    }

    @Test
    void renderingIsDeterministic() {
        assertThat(HtmlReport.render(SampleReports.run())).isEqualTo(HtmlReport.render(SampleReports.run()));
        assertThat(HtmlReport.render(SampleReports.comparison()))
                .isEqualTo(HtmlReport.render(SampleReports.comparison()));
    }

    @Test
    void aMillionValuesPerCurveStillGiveASmallPage() {
        SplittableRandom random = new SplittableRandom(5);
        int size = 1_000_000;
        double[] times = new double[size];
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            times[i] = i * 0.01;
            values[i] = random.nextDouble() * 100;
        }
        List<Distribution> distributions = Distribution.METRICS.stream()
                .flatMap(metric -> List.of("turn 1", "turns 2+").stream()
                        .map(cohort -> new Distribution(metric, cohort, lognormal(random, size))))
                .toList();
        List<Series> series = Series.CHARTS.stream().map(chart -> new Series(chart, chart, "x", times, values)).toList();
        RunReport report = new RunReport("big", "", "{}", "", series, distributions);
        int chartJsSize = ChartJsLibrary.load().script().length();

        String html = HtmlReport.render(report);
        String comparison = HtmlReport.render(new ComparisonReport("big",
                List.of(new ComparisonReport.Variant("a", "{}", distributions),
                        new ComparisonReport.Variant("b", "{}", distributions))));

        assertThat(html.length() - chartJsSize).isLessThan(250_000);
        assertThat(comparison.length() - chartJsSize).isLessThan(250_000);
    }

    @Test
    void emptyReportRendersWithoutData() {
        String html = HtmlReport.render(new RunReport("empty", "", "", "", List.of(), List.of()));

        assertThat(html).contains("\"ttft\":[]", "\"throughput\":[]", "\"edges\":[]");
    }

    @Test
    void planReportIsSelfContainedAndDeterministic() {
        String html = HtmlReport.render(SamplePlans.plan(false));

        assertSelfContained(html);
        assertThat(html).isEqualTo(HtmlReport.render(SamplePlans.plan(false)))
                .contains("<body data-status=\"loading\" data-kind=\"plan\">", "<div id=\"pareto\" class=\"grid\">")
                .contains("var servesimPlan = (function () {");
        assertThat(html.indexOf("var servesimPlan")).as("plan.js before report.js, which calls it")
                .isLessThan(html.indexOf("servesimPlan(data, {"));
        assertThat(HtmlReport.render(SamplePlans.plan(true))).isNotEqualTo(html);
    }

    @Test
    void planTextIsEmbeddedAsAJsonStringThatCannotCloseItsScript() {
        String hostile = "</script><script>alert(1)</script><!-- & \u2028";
        PlanReport report = SamplePlans.named(hostile);

        String html = HtmlReport.render(report);

        assertThat(count(SCRIPT_END, html)).as("onerror hook, data, Chart.js, drawing script").isEqualTo(4);
        assertThat(html.split("<!--", -1)).hasSize(2);
        assertThat(html).doesNotContain("<script>alert")
                .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!-- \\u0026 "
                        + "\\u2028")
                .contains("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp; \u2028</title>");
        int start = html.indexOf("<script type=\"application/json\" id=\"report-data\">");
        String data = html.substring(start, html.indexOf("</script>", start));
        assertThat(data).doesNotContain("\u2028")
                .startsWith("<script type=\"application/json\" id=\"report-data\">{\"kind\":\"plan\",\"plan\":\"{");
    }

    @Test
    void planReportRejectsNull() {
        assertThatThrownBy(() -> new PlanReport(null, "{}")).isInstanceOf(NullPointerException.class)
                .hasMessage("title is null");
        assertThatThrownBy(() -> new PlanReport("plan", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("planJson is null");
        assertThatThrownBy(() -> HtmlReport.render((PlanReport) null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertSelfContained(String html) {
        String withoutBanners = LICENSE_BANNER.matcher(html).replaceAll("");
        assertThat(withoutBanners).doesNotContain("http://", "https://");
        assertThat(count(RESOURCE_ATTRIBUTE, html)).as("attributes that load resources").isZero();
        String style = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));
        assertThat(style.toLowerCase(Locale.ROOT)).doesNotContain("url(", "@import", "@font-face");
        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<link", "<iframe", "<img", "<object", "<embed");
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("<script type=\"application/json\" id=\"report-data\">{\"kind\":");
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static double[] lognormal(SplittableRandom random, int size) {
        double[] values = new double[size];
        Arrays.setAll(values, i -> 40 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble())));
        return values;
    }
}
