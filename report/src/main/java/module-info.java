/**
 * Self-contained HTML reports of servesim runs: {@code report.html} for one run, {@code compare.html} for several
 * variants and {@code plan.html} for a capacity plan. The runner builds the value records of {@link dev.servesim.report} from its results and calls
 * {@link dev.servesim.report.HtmlReport}; this module reads no files and knows nothing of the simulator.
 *
 * <p>Charts are drawn by Chart.js, inlined into every page together with its MIT license notice, so a report opens
 * offline and loads nothing from the network.
 */
module dev.servesim.report {
    // The Chart.js webjar (org.webjars.npm:chart.js) has no module descriptor and no manifest, so it is an automatic
    // module named after its jar file, chart.js-4.4.1.jar: both in the local Maven repository and in lib/ of the
    // distribution, which keeps artifactId-version names. It holds no classes; ChartJsLibrary reads two resources from it.
    requires chart.js;

    exports dev.servesim.report;
}
