package dev.servesim.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders reports as single self-contained HTML pages: style, Chart.js (with its license notice), the data as JSON
 * and the drawing script are all inline, and the page loads nothing from anywhere, so it opens offline and can be
 * mailed or archived as one file.
 *
 * <p>The output depends only on the input: equal reports give equal strings, with no timestamps. Latency curves are
 * reduced to at most about 500 points and time series to at most 1000, so a page stays a few hundred kilobytes
 * (Chart.js itself is about 200 kB) however long the run.
 *
 * <p>Once the page has drawn, its {@code body} has {@code data-status="ok"} (or {@code "error: message"} after a
 * script error), and every chart canvas has {@code data-points} with the number of points drawn; a chart without data
 * shows a "no data" note and its canvas gets {@code data-empty="true"}. Tests in a headless browser read these.
 *
 * <p>Methods may be called from any thread. They throw {@link IllegalStateException} if Chart.js or a template
 * resource is missing from the module path.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Renders {@code report.html} of one run. */
    public static String render(RunReport report) {
        String body = PageTemplate.fill(PageTemplate.resource("run-sections.html"),
                Map.of("CONFIG", PageTemplate.escapeHtml(report.configYaml())));
        return page("run", report.title(), report.subtitle(), body, ReportData.of(report));
    }

    /** Renders {@code compare.html} of several variants. */
    public static String render(ComparisonReport report) {
        String body = PageTemplate.resource("compare-sections.html");
        String subtitle = report.variants().size() + " variants";
        return page("compare", report.title(), subtitle, body, ReportData.of(report));
    }

    /**
     * Renders {@code plan.html} of the capacity planner. The page's script replaces the subtitle with the number of
     * configurations and of those that meet the SLOs, read from the plan.
     */
    public static String render(PlanReport report) {
        String body = PageTemplate.resource("plan-sections.html");
        return page("plan", report.title(), "capacity plan", body, ReportData.of(report));
    }

    private static String page(String kind, String title, String subtitle, String sections, String dataJson) {
        ChartJsLibrary chartJs = ChartJsLibrary.load();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("KIND", kind);
        values.put("TITLE", PageTemplate.escapeHtml(title));
        values.put("SUBTITLE", PageTemplate.escapeHtml(subtitle));
        values.put("STYLE", PageTemplate.resource("report.css"));
        values.put("SECTIONS", sections);
        values.put("DATA", dataJson);
        values.put("CHARTJS_VERSION", ChartJsLibrary.VERSION);
        values.put("CHARTJS_LICENSE", chartJs.license());
        values.put("CHARTJS", chartJs.script());
        // plan.js defines the plan page's drawing, which report.js calls for the kind "plan" with its chart helpers
        String script = PageTemplate.resource("report.js");
        values.put("SCRIPT", kind.equals("plan") ? PageTemplate.resource("plan.js") + "\n" + script : script);
        return PageTemplate.fill(PageTemplate.resource("page.html"), values);
    }
}
