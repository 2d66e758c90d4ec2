package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything {@code compare.html} shows: the survival curves of all variants overlaid, and a table of their headline
 * figures.
 *
 * @param title the page title
 * @param variants the variants, in table and legend order; at least one, with distinct names; copied
 */
public record ComparisonReport(String title, List<Variant> variants) {
    public ComparisonReport {
        requireNonNull(title, "title is null");
        variants = List.copyOf(requireNonNull(variants, "variants is null"));
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one variant");
        }
        Set<String> names = new HashSet<>();
        for (Variant variant : variants) {
            if (!names.add(variant.name())) {
                throw new IllegalArgumentException("duplicate variant name '" + variant.name() + "'");
            }
        }
    }

    /**
     * One compared run.
     *
     * @param name the variant's name, shown in the table and legends
     * @param summaryJson the text of the variant's {@code summary.json}; see {@link RunReport#summaryJson()} for the
     *     keys shown
     * @param distributions the variant's latency distributions; copied
     */
    public record Variant(String name, String summaryJson, List<Distribution> distributions) {
        public Variant {
            requireNonNull(name, "name is null");
            requireNonNull(summaryJson, "summaryJson is null");
            distributions = List.copyOf(requireNonNull(distributions, "distributions is null"));
            if (name.isBlank()) {
                throw new IllegalArgumentException("variant name is blank");
            }
        }
    }
}
