package dev.servesim.planner;

/**
 * Where a candidate stops meeting the objectives, and why.
 *
 * @param ratePerReplica the highest arrival rate per replica found to meet them (0 if none does)
 * @param limit the resource that gives out first: {@code KV blocks}, {@code decode batch slots},
 *     {@code prefill compute}, {@code decode compute}, or {@code throughput}
 * @param detail what shows it, one line
 */
public record Saturation(double ratePerReplica, String limit, String detail) {}
