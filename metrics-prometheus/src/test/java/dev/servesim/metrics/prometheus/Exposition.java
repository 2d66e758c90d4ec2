package dev.servesim.metrics.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A scrape in the Prometheus text format, parsed into samples. */
record Exposition(String text, List<Sample> samples, Map<String, String> familyTypes) {

    /** One line: metric name, labels in order, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new Exposition(text, List.copyOf(samples), types);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals);
                StringBuilder value = new StringBuilder();
                int j = equals + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        j++;
                        c = line.charAt(j) == 'n' ? '\n' : line.charAt(j);
                    }
                    value.append(c);
                    j++;
                }
                labels.put(label, value.toString());
                i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
            }
        } else {
            name = line.substring(0, space);
        }
        return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    /** Names of every sample, e.g. {@code vllm:prompt_tokens_total}, {@code servesim_request_ttft_seconds_bucket}. */
    Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        for (Sample sample : samples) {
            names.add(sample.name());
        }
        return names;
    }

    /** Samples called {@code name} whose labels include {@code labelPairs} (name, value, name, value, ...). */
    List<Sample> find(String name, String... labelPairs) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labelPairs)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The value of the one sample {@link #find} finds. */
    double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found
                    + " in\n" + text);
        }
        return found.get(0).value();
    }

    private static boolean matches(Map<String, String> labels, String... labelPairs) {
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
