package dev.servesim.loadgen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a server's counters say of a run: {@code /metrics} (Prometheus text format) scraped before and after, and the
 * difference of every cumulative series - counters, and the {@code _count}, {@code _sum} and {@code _bucket} series of
 * histograms and summaries - keyed by the series as written ({@code name{labels}}). Gauges and untyped series are
 * left out: their difference means nothing.
 */
final class MetricsDelta {

    private static final List<String> CUMULATIVE_SUFFIXES = List.of("_total", "_count", "_sum", "_bucket");

    private MetricsDelta() {}

    /** {@code after - before} of every cumulative series of {@code after}, in series order. */
    static SortedMap<String, Double> between(String before, String after) {
        Map<String, Double> start = cumulative(before);
        SortedMap<String, Double> delta = new TreeMap<>();
        cumulative(after).forEach((series, value) -> delta.put(series, value - start.getOrDefault(series, 0.0)));
        return delta;
    }

    /** The cumulative series of one scrape and their values. */
    static Map<String, Double> cumulative(String exposition) {
        Map<String, String> types = new HashMap<>();
        Map<String, Double> values = new HashMap<>();
        for (String raw : exposition.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).strip().split("\\s+");
                if (parts.length == 2) {
                    types.put(parts[0], parts[1]);
                }
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                sample(line, types, values);
            }
        }
        return values;
    }

    private static void sample(String line, Map<String, String> types, Map<String, Double> values) {
        int end = seriesEnd(line);
        if (end <= 0 || end >= line.length()) {
            return;
        }
        String series = line.substring(0, end);
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        if (!isCumulative(name, types)) {
            return;
        }
        String[] rest = line.substring(end).strip().split("\\s+");
        try {
            double value = Double.parseDouble(rest[0]);
            if (Double.isFinite(value)) {
                values.put(series, value);
            }
        } catch (NumberFormatException e) {
            // not a sample line after all: skipped
        }
    }

    /** Where the series (name and labels) of a sample line ends; label values may hold spaces and escaped quotes. */
    private static int seriesEnd(String line) {
        boolean inLabels = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (inLabels) {
                if (c == '"') {
                    quoted = true;
                } else if (c == '}') {
                    return i + 1;
                }
            } else if (c == '{') {
                inLabels = true;
            } else if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isCumulative(String name, Map<String, String> types) {
        String type = types.get(name);
        if ("counter".equals(type)) {
            return true;
        }
        for (String suffix : CUMULATIVE_SUFFIXES) {
            if (name.endsWith(suffix)) {
                String family = types.get(name.substring(0, name.length() - suffix.length()));
                if ("counter".equals(family) && suffix.equals("_total")
                        || ("histogram".equals(family) || "summary".equals(family)) && !suffix.equals("_total")) {
                    return true;
                }
            }
        }
        return false;
    }
}
