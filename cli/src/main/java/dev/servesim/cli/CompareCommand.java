package dev.servesim.cli;

import dev.servesim.runner.Comparison;
import dev.servesim.runner.ComparisonShards;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.Shard;
import dev.servesim.runner.Variation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim compare}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run every combination of --vary values on one configuration (same workload and seed) and "
                + "compare them.",
                "Example: servesim compare run.yaml --vary cache.strategy=disabled,block-hash "
                        + "--vary framework.max_num_batched_tokens=1024,8192"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Run configuration (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--vary", paramLabel = "KEY=V1,V2,...", required = true,
            description = "A key and the values to try (repeatable; the cross product is run).")
    List<String> variations = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<name>-compare.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every variant (overrides 'seed').")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key in every variant (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", description = "Variants run at once. Default: the number of cores.")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only shard I of N of the variants (a deterministic part, the same whatever the order "
                    + "of the --vary options); servesim merge combines the N shards' folders.")
    String shard;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Variation> parsed = variations.stream().map(Variation::parse).toList();
        Shard part = shard == null ? Shard.ALL : Shard.parse(shard);
        ConfigLoader loader = new ConfigLoader(common.registry());
        Path outputDirectory = out != null ? out
                : Path.of("runs", loader.load(config, overrides).settings().name() + "-compare");
        int threads = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        if (!quiet) {
            spec.commandLine().getErr().printf("servesim: comparing %d variants%s, %d at a time%n",
                    Variation.crossProduct(parsed).size(), part.partial() ? " (shard " + part + ")" : "", threads);
        }
        List<Comparison.Variant> variants = Comparison.run(loader, config, overrides, seed, parsed, outputDirectory,
                threads, part);
        if (part.partial()) {
            if (!quiet) {
                spec.commandLine().getOut().printf("shard %s: %d variants in %s, with %s; servesim merge combines "
                        + "the shards%n", part, variants.size(), outputDirectory, ComparisonShards.MANIFEST);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
        if (!quiet) {
            ComparisonTable.print(spec.commandLine().getOut(), variants);
            spec.commandLine().getOut().printf("results in %s: compare.json, compare.csv, compare.html, and one folder per variant%n",
                    outputDirectory);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
