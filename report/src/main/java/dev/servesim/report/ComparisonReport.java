package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code compare.html} shows: a table of the variants' key figures with the best of each marked, one chart
 * of the figures against each varied parameter, and the survival curves of all variants overlaid.
 *
 * @param title the page title
 * @param parameters the varied keys with their values in the order given, one metric-vs-parameter chart each; may be
 *     empty (then the page has no such charts); copied
 * @param variants the variants, in table and legend order; at least one, with distinct names; copied
 */
public record ComparisonReport(String title, List<Parameter> parameters, List<Variant> variants) {
    public ComparisonReport {
        requireNonNull(title, "title is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
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
        Set<String> keys = new HashSet<>();
        for (Parameter parameter : parameters) {
            if (!keys.add(parameter.key())) {
                throw new IllegalArgumentException("duplicate parameter '" + parameter.key() + "'");
            }
        }
    }

    /** A comparison without varied parameters: no metric-vs-parameter charts. */
    public ComparisonReport(String title, List<Variant> variants) {
        this(title, List.of(), variants);
    }

    /**
     * One varied key.
     *
     * @param key the key, for example {@code cache.strategy}; the x axis title of its chart
     * @param values its values in the order given, the x axis categories; at least one; copied
     */
    public record Parameter(String key, List<String> values) {
        public Parameter {
            requireNonNull(key, "key is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
            if (key.isBlank()) {
                throw new IllegalArgumentException("parameter key is blank");
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("parameter '" + key + "' has no values");
            }
        }
    }

    /**
     * One compared run.
     *
     * @param name the variant's name, shown in the table and legends
     * @param settings the variant's value of each varied key, in parameter order; a key the variant does not have
     *     (it does not apply to it) is left out, and the variant then has no point on that key's chart; copied
     * @param summaryJson the text of the variant's {@code summary.json}; see {@link RunReport#summaryJson()} for the
     *     keys shown, and also {@code goodput.share}, {@code prefix_cache.token_hit_rate} and
     *     {@code kv_cache.preemptions}
     * @param distributions the variant's latency distributions; copied
     */
    public record Variant(String name, Map<String, String> settings, String summaryJson,
            List<Distribution> distributions) {
        public Variant {
            requireNonNull(name, "name is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(summaryJson, "summaryJson is null");
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            distributions = List.copyOf(requireNonNull(distributions, "distributions is null"));
            if (name.isBlank()) {
                throw new IllegalArgumentException("variant name is blank");
            }
        }

        /** A variant without settings. */
        public Variant(String name, String summaryJson, List<Distribution> distributions) {
            this(name, Map.of(), summaryJson, distributions);
        }
    }
}
