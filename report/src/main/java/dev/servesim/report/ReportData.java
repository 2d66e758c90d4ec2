package dev.servesim.report;

import java.util.List;

/**
 * The JSON that a page's script draws from, embedded in a {@code <script type="application/json">} element. Charts and
 * lines keep the order of the report's lists; the script knows nothing but this shape.
 */
final class ReportData {
    private ReportData() {
    }

    /**
     * {@code {"kind":"run", "summary":text, "survival":{"ttft":[curve],"e2e":[curve]}, "tpot":histogram,
     * "series":{chart:[{"label","unit","t","v"}]}}}, where a curve is {@code {"label","count","t","p"}}
     * and {@code count} is the number of requests, not of points.
     */
    static String of(RunReport report) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("kind").value("run");
        json.name("summary").value(report.summaryJson());
        json.name("survival").beginObject();
        for (String metric : List.of("ttft", "e2e")) {
            json.name(metric).beginArray();
            for (Distribution distribution : report.distributions()) {
                if (distribution.metric().equals(metric)) {
                    json.beginObject().name("label").value(distribution.cohort());
                    json.name("count").value(distribution.requests());
                    SurvivalCurve.of(distribution.valuesView()).writeTo(json);
                    json.endObject();
                }
            }
            json.endArray();
        }
        json.endObject();
        json.name("tpot");
        Histogram.write(report.distributions().stream().filter(d -> d.metric().equals("tpot")).toList(), json);
        json.name("series").beginObject();
        for (String chart : Series.CHARTS) {
            json.name(chart).beginArray();
            for (Series series : report.series()) {
                if (series.chart().equals(chart)) {
                    json.beginObject();
                    json.name("label").value(series.label());
                    json.name("unit").value(series.unit());
                    Decimation.write(series, json);
                    json.endObject();
                }
            }
            json.endArray();
        }
        json.endObject();
        return json.endObject().toString();
    }

    /**
     * {@code {"kind":"compare", "parameters":[{"key","values":[text]}], "variants":[{"name","settings":{key:text},
     * "summary"}], "survival":{metric:[curve]}}}, where a curve also has {@code "variant"} (index into variants) and
     * {@code "cohort"}, for colour and dash pattern.
     */
    static String of(ComparisonReport report) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("kind").value("compare");
        json.name("parameters").beginArray();
        for (ComparisonReport.Parameter parameter : report.parameters()) {
            json.beginObject().name("key").value(parameter.key()).name("values").beginArray();
            parameter.values().forEach(json::value);
            json.endArray().endObject();
        }
        json.endArray();
        json.name("variants").beginArray();
        for (ComparisonReport.Variant variant : report.variants()) {
            json.beginObject().name("name").value(variant.name());
            json.name("settings").beginObject();
            variant.settings().forEach((key, value) -> json.name(key).value(value));
            json.endObject();
            json.name("summary").value(variant.summaryJson()).endObject();
        }
        json.endArray();
        json.name("survival").beginObject();
        for (String metric : Distribution.METRICS) {
            json.name(metric).beginArray();
            for (int index = 0; index < report.variants().size(); index++) {
                ComparisonReport.Variant variant = report.variants().get(index);
                for (Distribution distribution : variant.distributions()) {
                    if (distribution.metric().equals(metric)) {
                        json.beginObject();
                        json.name("label").value(variant.name() + " \u00b7 " + distribution.cohort());
                        json.name("variant").value(index);
                        json.name("cohort").value(distribution.cohort());
                        json.name("count").value(distribution.requests());
                        SurvivalCurve.of(distribution.valuesView()).writeTo(json);
                        json.endObject();
                    }
                }
            }
            json.endArray();
        }
        json.endObject();
        return json.endObject().toString();
    }

    /**
     * {@code {"kind":"plan", "plan":text}}: the plan.json text as a JSON string, which the script parses, so any text
     * (even one that is not JSON, or that holds {@code </script>}) stays inside the data element.
     */
    static String of(PlanReport report) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("kind").value("plan");
        json.name("plan").value(report.planJson());
        return json.endObject().toString();
    }
}
