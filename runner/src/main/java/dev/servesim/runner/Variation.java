package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --vary key=v1,v2,...} option: a configuration key and the values to try. Values are split at commas
 * outside brackets and braces, so {@code --vary sinks=[json],[json,csv]} gives two values.
 *
 * @param key dotted configuration key, as for {@code --set}
 * @param values the values, in order
 */
public record Variation(String key, List<String> values) {

    public Variation {
        requireNonNull(key, "key is null");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + key);
        }
    }

    /** Parses {@code key=v1,v2,...}. */
    public static Variation parse(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new ServesimException(ErrorKind.CONFIG, "--vary " + text
                    + ": expected key=value1,value2,..., e.g. --vary cache.strategy=disabled,block-hash");
        }
        List<String> values = new ArrayList<>();
        int depth = 0;
        int start = equals + 1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                values.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        values.add(text.substring(start).trim());
        if (values.stream().anyMatch(String::isEmpty)) {
            throw new ServesimException(ErrorKind.CONFIG, "--vary " + text + ": empty value");
        }
        if (values.size() != values.stream().distinct().count()) {
            throw new ServesimException(ErrorKind.CONFIG, "--vary " + text + ": a value is listed twice");
        }
        return new Variation(text.substring(0, equals).trim(), values);
    }

    /** Every combination of the variations' values, the first variation varying slowest. */
    public static List<List<String>> crossProduct(List<Variation> variations) {
        List<List<String>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (Variation variation : variations) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : combinations) {
                for (String value : variation.values()) {
                    List<String> combination = new ArrayList<>(prefix);
                    combination.add(variation.key() + "=" + value);
                    next.add(List.copyOf(combination));
                }
            }
            combinations = next;
        }
        return combinations;
    }
}
