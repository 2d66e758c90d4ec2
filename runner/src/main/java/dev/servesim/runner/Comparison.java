package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.report.ComparisonReport;
import dev.servesim.report.Distribution;
import dev.servesim.report.HtmlReport;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.sinks.JsonTrees;
import dev.servesim.runner.sinks.OutputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the cross product of {@code --vary} options on one configuration (same workload, same seed), each variant in
 * its own folder and object graph, in parallel; results are identical to running them one after the other. Writes
 * {@code compare.json}, {@code compare.csv} and {@code compare.html} next to the variants' folders.
 */
public final class Comparison {

    /**
     * One variant.
     *
     * @param name e.g. {@code cache.strategy=block-hash, framework.max_num_batched_tokens=2048}
     * @param overrides the {@code --set} overrides that make it
     * @param folder its output folder name inside the comparison folder
     * @param result its run's result
     */
    public record Variant(String name, List<String> overrides, String folder, RunResult result) {}

    /**
     * A column of the comparison table.
     *
     * @param header column header
     * @param key key in compare.csv
     * @param lowerIsBetter whether the best value is the smallest
     * @param ranked whether a best value exists at all (false for descriptive figures such as a pool's busy share)
     */
    public record Column(String header, String key, boolean lowerIsBetter, boolean ranked) {

        /** A ranked column. */
        public Column(String header, String key, boolean lowerIsBetter) {
            this(header, key, lowerIsBetter, true);
        }
    }

    /** The columns of the table, compare.csv and compare.json's {@code best}. */
    public static final List<Column> COLUMNS = List.of(
            new Column("TTFT p50 ms", "ttft_p50_ms", true),
            new Column("TTFT p99 ms", "ttft_p99_ms", true),
            new Column("TPOT p50 ms", "tpot_p50_ms", true),
            new Column("E2E p99 ms", "e2e_p99_ms", true),
            new Column("req/s", "requests_per_s", false),
            new Column("goodput", "goodput_share", false),
            new Column("hit rate", "token_hit_rate", false),
            new Column("preemptions", "preemptions", true),
            new Column("imbalance", "request_imbalance", true),
            new Column("transfer p50 ms", "transfer_p50_ms", true),
            new Column("prefill busy", "prefill_busy_fraction", false, false),
            new Column("decode busy", "decode_busy_fraction", false, false),
            new Column("tok/s/GPU", "output_tokens_per_gpu_per_s", false),
            new Column("$/M out", "usd_per_million_output_tokens", true));

    private Comparison() {}

    /** The value of {@code column} in a summary (NaN when it does not exist). */
    public static double value(RunSummary summary, Column column) {
        return switch (column.key()) {
            case "ttft_p50_ms" -> summary.latencyMs().ttft().p50();
            case "ttft_p99_ms" -> summary.latencyMs().ttft().p99();
            case "tpot_p50_ms" -> summary.latencyMs().tpot().p50();
            case "e2e_p99_ms" -> summary.latencyMs().e2e().p99();
            case "requests_per_s" -> summary.throughput().requestsPerS();
            case "goodput_share" -> summary.goodput().share();
            case "token_hit_rate" -> summary.prefixCache().tokenHitRate();
            case "preemptions" -> summary.kvCache().preemptions();
            case "request_imbalance" -> summary.cluster().requestImbalance();
            case "transfer_p50_ms" -> summary.cluster().transferMs().p50();
            case "prefill_busy_fraction" -> busyFraction(summary, "prefill");
            case "decode_busy_fraction" -> busyFraction(summary, "decode");
            case "output_tokens_per_gpu_per_s" -> summary.resources().outputTokensPerGpuPerS();
            case "usd_per_million_output_tokens" -> summary.resources().cost().usdPerMillionOutputTokens();
            default -> throw new IllegalArgumentException("unknown column " + column.key());
        };
    }

    private static double busyFraction(RunSummary summary, String pool) {
        RunSummary.Pool figures = summary.cluster().pools().get(pool);
        return figures == null ? Double.NaN : figures.busyFraction();
    }

    /**
     * Indices of the variants with the best value of a column (several on a tie); empty when no variant has a value
     * or all have the same one, since then no variant is better.
     */
    public static List<Integer> best(List<Variant> variants, Column column) {
        double best = Double.NaN;
        boolean allEqual = true;
        double first = Double.NaN;
        for (Variant variant : variants) {
            double value = value(variant.result().summary(), column);
            if (Double.isNaN(value)) {
                allEqual = false;
                continue;
            }
            if (Double.isNaN(first)) {
                first = value;
            } else if (value != first) {
                allEqual = false;
            }
            if (Double.isNaN(best) || (column.lowerIsBetter() ? value < best : value > best)) {
                best = value;
            }
        }
        List<Integer> indices = new ArrayList<>();
        if (!column.ranked() || Double.isNaN(best) || (allEqual && variants.size() > 1)) {
            return indices;
        }
        for (int i = 0; i < variants.size(); i++) {
            if (value(variants.get(i).result().summary(), column) == best) {
                indices.add(i);
            }
        }
        return indices;
    }

    /**
     * Validates every variant's configuration first (so a typo fails before anything runs), then runs them on
     * {@code jobs} threads and writes the comparison files.
     */
    public static List<Variant> run(ConfigLoader loader, Path config, List<String> overrides, Long seed,
            List<Variation> variations, Path outputDirectory, int jobs) {
        return run(loader, config, overrides, seed, variations, outputDirectory, jobs, Shard.ALL);
    }

    /**
     * As {@link #run(ConfigLoader, Path, List, Long, List, Path, int)}, for one shard of the variants: a part of
     * several runs only its variants and writes, beside their folders, {@value ComparisonShards#MANIFEST} (what
     * {@code servesim merge} needs) instead of the comparison files.
     */
    public static List<Variant> run(ConfigLoader loader, Path config, List<String> overrides, Long seed,
            List<Variation> variations, Path outputDirectory, int jobs, Shard shard) {
        requireNonNull(outputDirectory, "outputDirectory is null");
        requireNonNull(shard, "shard is null");
        if (variations.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, "compare needs at least one --vary key=value1,value2");
        }
        List<List<String>> every = scoped(loader, config, overrides, Variation.crossProduct(variations));
        List<List<String>> combinations = shard.select(every);
        List<RunConfiguration> configurations = new ArrayList<>();
        for (List<String> combination : combinations) {
            List<String> all = new ArrayList<>(overrides);
            all.addAll(combination);
            RunConfiguration configuration;
            try {
                configuration = loader.load(config, all);
            } catch (ServesimException e) {
                throw new ServesimException(e.kind(), "variant " + String.join(", ", combination) + ": "
                        + e.getMessage(), e);
            }
            // each variant under a name of its own, so that its live metrics (the prometheus sink's run label) and its
            // summary say which variant they are
            configuration = configuration.withName(variantName(configuration.settings().name(), combination));
            configurations.add(seed == null ? configuration : configuration.withSeed(seed));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, combinations.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "servesim-compare");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (int i = 0; i < combinations.size(); i++) {
                RunConfiguration configuration = configurations.get(i);
                Path folder = outputDirectory.resolve(folderName(combinations.get(i)));
                futures.add(pool.submit(() -> SimulationRunner.run(configuration, folder, new RunControl())));
            }
            List<Variant> variants = new ArrayList<>();
            for (int i = 0; i < combinations.size(); i++) {
                String name = String.join(", ", combinations.get(i));
                variants.add(new Variant(name, combinations.get(i), folderName(combinations.get(i)),
                        result(futures.get(i), name)));
            }
            if (shard.partial()) {
                ComparisonShards.writeManifest(outputDirectory, shard, config, variations, every, variants);
            } else {
                write(outputDirectory, config, variations, variants);
            }
            return variants;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServesimException(ErrorKind.IO, "comparison interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes compare.json, compare.csv and compare.html of {@code variants}, in their order. */
    static void write(Path outputDirectory, Path config, List<Variation> variations, List<Variant> variants) {
        writeJson(outputDirectory, config, variations, variants);
        writeCsv(outputDirectory, variations, variants);
        writeHtml(outputDirectory, config, variations, variants);
    }

    /** The variant's result, or its failure with the variant named. */
    private static RunResult result(Future<RunResult> future, String variant) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServesimException servesim) {
                throw new ServesimException(servesim.kind(), "variant " + variant + ": " + servesim.getMessage(),
                        servesim);
            }
            throw new ServesimException(ErrorKind.PLUGIN, "variant " + variant + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    /**
     * Each combination without the varied keys that do not belong to the component it selects - e.g.
     * {@code cache.capacity_blocks} in a variant whose {@code cache.strategy} has no such key - and without the
     * duplicates that leaves, in order. So {@code --vary cache.strategy=a,b --vary cache.capacity_blocks=1,2} runs
     * {@code a} twice (if only {@code a} has the key) and {@code b} once.
     */
    static List<List<String>> scoped(ConfigLoader loader, Path config, List<String> overrides,
            List<List<String>> combinations) {
        LinkedHashSet<List<String>> kept = new LinkedHashSet<>();
        for (List<String> combination : combinations) {
            List<String> all = new ArrayList<>(overrides);
            all.addAll(combination);
            List<String> applicable = new ArrayList<>();
            for (String assignment : combination) {
                String key = assignment.substring(0, assignment.indexOf('='));
                if (loader.applies(config, all, key)) {
                    applicable.add(assignment);
                }
            }
            kept.add(List.copyOf(applicable));
        }
        return List.copyOf(kept);
    }

    /** A variant's run name: the configuration's, then its folder name, e.g. {@code quickstart_cache.strategy-lru}. */
    static String variantName(String base, List<String> combination) {
        String name = base + "_" + folderName(combination);
        return name.length() <= RunSettings.MAX_NAME_LENGTH ? name : name.substring(0, RunSettings.MAX_NAME_LENGTH);
    }

    /** A file-system-safe folder name for a combination, e.g. {@code cache.strategy-block-hash}. */
    static String folderName(List<String> combination) {
        String joined = String.join("_", combination).replace('=', '-');
        return joined.replaceAll("[^A-Za-z0-9._+-]", "-");
    }

    private static void writeJson(Path directory, Path config, List<Variation> variations, List<Variant> variants) {
        ObjectNode root = ConfigMappers.json().createObjectNode();
        root.put("config", config.toString());
        ObjectNode vary = root.putObject("vary");
        for (Variation variation : variations) {
            ArrayNode values = vary.putArray(variation.key());
            variation.values().forEach(values::add);
        }
        ArrayNode list = root.putArray("variants");
        for (Variant variant : variants) {
            ObjectNode node = list.addObject();
            node.put("name", variant.name());
            ObjectNode settings = node.putObject("settings");
            for (String override : variant.overrides()) {
                settings.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
            }
            node.put("folder", variant.folder());
            node.set("summary", summaryTree(variant.result().summary()));
        }
        ObjectNode best = root.putObject("best");
        for (Column column : COLUMNS) {
            ArrayNode names = best.putArray(column.key());
            for (int index : best(variants, column)) {
                names.add(variants.get(index).name());
            }
        }
        try {
            OutputFiles.writeAtomically(directory.resolve("compare.json"),
                    ConfigMappers.json().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write compare.json: " + e.getMessage(), e);
        }
    }

    private static void writeHtml(Path directory, Path config, List<Variation> variations,
            List<Variant> variants) {
        List<ComparisonReport.Variant> reportVariants = new ArrayList<>();
        try {
            for (Variant variant : variants) {
                List<Distribution> distributions = new ArrayList<>();
                for (LatencyCurve curve : variant.result().curves()) {
                    if (curve.millis().length > 0) {
                        distributions.add(new Distribution(curve.metric(), curve.cohort(), curve.millis(),
                                requests(variant.result().summary(), curve)));
                    }
                }
                Map<String, String> settings = new LinkedHashMap<>();
                for (String override : variant.overrides()) {
                    settings.put(override.substring(0, override.indexOf('=')),
                            override.substring(override.indexOf('=') + 1));
                }
                reportVariants.add(new ComparisonReport.Variant(variant.name(), settings,
                        ConfigMappers.json().writeValueAsString(summaryTree(variant.result().summary())),
                        distributions));
            }
            List<ComparisonReport.Parameter> parameters = variations.stream()
                    .map(variation -> new ComparisonReport.Parameter(variation.key(), variation.values()))
                    .toList();
            String html = HtmlReport.render(new ComparisonReport("servesim compare " + config.getFileName(),
                    parameters, reportVariants));
            OutputFiles.writeAtomically(directory.resolve("compare.html"), html);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write compare.html: " + e.getMessage(), e);
        }
    }

    /**
     * The number of requests a curve was drawn from (its values are quantiles): the sample size of the metric in the
     * summary, overall or of the curve's turn cohort; the number of values if the summary does not know the cohort.
     */
    static long requests(RunSummary summary, LatencyCurve curve) {
        if (curve.cohort().equals("all")) {
            return switch (curve.metric()) {
                case "ttft" -> summary.latencyMs().ttft().count();
                case "tpot" -> summary.latencyMs().tpot().count();
                default -> summary.latencyMs().e2e().count();
            };
        }
        RunSummary.Group group = summary.breakdown() == null ? null : summary.breakdown().byTurn().get(curve.cohort());
        if (group == null) {
            return curve.millis().length;
        }
        return switch (curve.metric()) {
            case "ttft" -> group.ttftMs().count();
            case "tpot" -> group.tpotMs().count();
            default -> group.e2eMs().count();
        };
    }

    private static JsonNode summaryTree(RunSummary summary) {
        return JsonTrees.withoutNonFinite(ConfigMappers.json().valueToTree(summary));
    }

    private static void writeCsv(Path directory, List<Variation> variations, List<Variant> variants) {
        StringBuilder csv = new StringBuilder("variant");
        for (Variation variation : variations) {
            csv.append(',').append(variation.key());
        }
        for (Column column : COLUMNS) {
            csv.append(',').append(column.key());
        }
        csv.append('\n');
        for (Variant variant : variants) {
            csv.append(quoted(variant.name()));
            for (Variation variation : variations) {
                // empty where the key does not belong to the variant's component (see scoped)
                String value = variant.overrides().stream().filter(override -> override.startsWith(
                        variation.key() + "=")).map(override -> override.substring(override.indexOf('=') + 1))
                        .findFirst().orElse("");
                csv.append(',').append(quoted(value));
            }
            for (Column column : COLUMNS) {
                double value = value(variant.result().summary(), column);
                csv.append(',').append(Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value));
            }
            csv.append('\n');
        }
        OutputFiles.writeAtomically(directory.resolve("compare.csv"), csv.toString());
    }

    private static String quoted(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
