/**
 * Values of an HTML report and the renderer {@link dev.servesim.report.HtmlReport}.
 *
 * <p>Units: times on time charts are simulated seconds; latencies are milliseconds; rates are per simulated second.
 * All types are immutable and may be used from any thread. Rendering is deterministic: equal inputs give equal bytes.
 */
package dev.servesim.report;
