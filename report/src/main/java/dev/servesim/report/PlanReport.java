package dev.servesim.report;

import static java.util.Objects.requireNonNull;

/**
 * Everything {@code plan.html} shows for one run of the capacity planner ({@code servesim plan}): the question (SLOs,
 * target rate), the recommendation with the chosen configuration's {@code vllm serve} line and files, a cost against
 * latency chart per SLO with the Pareto front, a table of all candidates, why the others were rejected, and the
 * bisection steps of each candidate.
 *
 * @param title the page title
 * @param planJson the text of the planner's {@code plan.json}, embedded as is and drawn by the page's script; keys
 *     {@code mode}, {@code slo} (thresholds in seconds), {@code target}, {@code search}, {@code partial},
 *     {@code recommendation}, {@code pareto}, {@code chosen} and {@code candidates} (figures in milliseconds, money in
 *     USD); a number may be {@code null} when unknown, and a text that is not JSON gives a page that says so
 */
public record PlanReport(String title, String planJson) {
    public PlanReport {
        requireNonNull(title, "title is null");
        requireNonNull(planJson, "planJson is null");
    }
}
