package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.sinks.OutputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shards of a comparison ({@code compare --shard I/N}) and their merge ({@code servesim merge}).
 *
 * <p>A shard writes, beside its variants' folders, {@value #MANIFEST}: which shard of how many, the comparison it is
 * part of (configuration, {@code --vary} options, every variant in order) and, for each of its own variants, its
 * summary and latency curves - what the comparison files are made of. {@link #merge} reads the N manifests, checks
 * that they are the N shards of one comparison, copies the variants' folders into one and writes the comparison
 * files from the variants in the unsharded order: the same files an unsharded run writes, apart from wall-clock
 * figures.
 */
public final class ComparisonShards {

    /** A shard's manifest, in its output folder. */
    public static final String MANIFEST = "shard.json";

    private ComparisonShards() {}

    static void writeManifest(Path directory, Shard shard, Path config, List<Variation> variations,
            List<List<String>> all, List<Comparison.Variant> variants) {
        ObjectNode root = ConfigMappers.json().createObjectNode();
        root.put("shard", shard.index());
        root.put("of", shard.count());
        root.put("config", config.toString());
        ArrayNode vary = root.putArray("vary");
        for (Variation variation : variations) {
            ObjectNode node = vary.addObject();
            node.put("key", variation.key());
            ArrayNode values = node.putArray("values");
            variation.values().forEach(values::add);
        }
        ArrayNode combinations = root.putArray("combinations");
        for (List<String> combination : all) {
            ArrayNode node = combinations.addArray();
            combination.forEach(node::add);
        }
        ArrayNode list = root.putArray("variants");
        for (Comparison.Variant variant : variants) {
            ObjectNode node = list.addObject();
            node.put("name", variant.name());
            ArrayNode overrides = node.putArray("overrides");
            variant.overrides().forEach(overrides::add);
            node.put("folder", variant.folder());
            // NaN stays NaN (written as a string), so the merge computes what the run computed
            node.set("summary", ConfigMappers.json().valueToTree(variant.result().summary()));
            node.set("curves", ConfigMappers.json().valueToTree(variant.result().curves()));
        }
        try {
            OutputFiles.writeAtomically(directory.resolve(MANIFEST),
                    ConfigMappers.json().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + MANIFEST + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges the shard folders {@code shards} (in any order) into {@code outputDirectory}: the variants' folders and
     * compare.json, compare.csv and compare.html.
     *
     * @return the variants, in the comparison's order
     * @throws ServesimException ({@code CONFIG}) naming the folder, if a folder has no manifest or the folders are
     *     not every shard of one comparison, once each; nothing is written then
     */
    public static List<Comparison.Variant> merge(List<Path> shards, Path outputDirectory) {
        requireNonNull(outputDirectory, "outputDirectory is null");
        if (shards.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, "merge: give the shard folders to merge");
        }
        Map<Integer, Path> byIndex = new LinkedHashMap<>();
        Map<List<String>, Comparison.Variant> found = new LinkedHashMap<>();
        Map<List<String>, Path> origin = new LinkedHashMap<>();
        JsonNode first = null;
        Path firstFolder = null;
        for (Path folder : shards) {
            JsonNode manifest = read(folder);
            if (first == null) {
                first = manifest;
                firstFolder = folder;
            } else {
                for (String field : List.of("of", "config", "vary", "combinations")) {
                    if (!manifest.get(field).equals(first.get(field))) {
                        throw new ServesimException(ErrorKind.CONFIG, "merge: " + folder + " is a shard of another "
                                + "comparison than " + firstFolder + " (its " + field + " differs)");
                    }
                }
            }
            int index = manifest.get("shard").asInt();
            Path previous = byIndex.putIfAbsent(index, folder);
            if (previous != null) {
                throw new ServesimException(ErrorKind.CONFIG, "merge: " + folder + " and " + previous + " are both shard "
                        + index + "/" + manifest.get("of").asInt());
            }
            for (JsonNode node : manifest.get("variants")) {
                Comparison.Variant variant = variant(folder, node);
                found.put(variant.overrides(), variant);
                origin.put(variant.overrides(), folder);
            }
        }
        int count = first.get("of").asInt();
        List<Integer> missing = new ArrayList<>();
        for (int index = 1; index <= count; index++) {
            if (!byIndex.containsKey(index)) {
                missing.add(index);
            }
        }
        if (!missing.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, "merge: shard(s) " + missing + " of " + count
                    + " missing; every shard's folder is needed");
        }
        List<Comparison.Variant> variants = new ArrayList<>();
        for (JsonNode combination : first.get("combinations")) {
            List<String> overrides = strings(combination);
            Comparison.Variant variant = found.get(overrides);
            if (variant == null) {
                throw new ServesimException(ErrorKind.CONFIG, "merge: no shard ran the variant "
                        + String.join(", ", overrides));
            }
            variants.add(variant);
        }
        List<Variation> variations = new ArrayList<>();
        for (JsonNode node : first.get("vary")) {
            variations.add(new Variation(node.get("key").asText(), strings(node.get("values"))));
        }
        try {
            Files.createDirectories(outputDirectory);
            for (Comparison.Variant variant : variants) {
                copy(origin.get(variant.overrides()).resolve(variant.folder()),
                        outputDirectory.resolve(variant.folder()));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ServesimException(ErrorKind.IO, "merge: cannot copy the variants' folders into "
                    + outputDirectory + ": " + e.getMessage(), e);
        }
        Comparison.write(outputDirectory, Path.of(first.get("config").asText()), variations, variants);
        return variants;
    }

    private static JsonNode read(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ServesimException(ErrorKind.CONFIG, "merge: " + folder + " has no " + MANIFEST
                    + " (is it the --out folder of a compare --shard I/N?)");
        }
        try {
            JsonNode manifest = ConfigMappers.json().readTree(file.toFile());
            for (String field : List.of("shard", "of", "config", "vary", "combinations", "variants")) {
                if (manifest == null || !manifest.has(field)) {
                    throw new ServesimException(ErrorKind.CONFIG, file + ": no '" + field + "'");
                }
            }
            return manifest;
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.CONFIG, file + ": not a shard manifest: " + e.getMessage(), e);
        }
    }

    private static Comparison.Variant variant(Path folder, JsonNode node) {
        try {
            RunSummary summary = ConfigMappers.json().treeToValue(node.get("summary"), RunSummary.class);
            List<LatencyCurve> curves = new ArrayList<>();
            for (JsonNode curve : node.get("curves")) {
                curves.add(ConfigMappers.json().treeToValue(curve, LatencyCurve.class));
            }
            String name = node.get("folder").asText();
            RunResult result = new RunResult(summary, folder.resolve(name), List.of(), 0, curves);
            return new Comparison.Variant(node.get("name").asText(), strings(node.get("overrides")), name, result);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ServesimException(ErrorKind.CONFIG, folder.resolve(MANIFEST) + ": variant "
                    + node.path("name").asText() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException(from + " is missing");
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
