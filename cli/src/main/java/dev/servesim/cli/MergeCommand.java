package dev.servesim.cli;

import dev.servesim.planner.PlanShards;
import dev.servesim.runner.Comparison;
import dev.servesim.runner.ComparisonShards;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim merge}. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the folders of the N shards of a comparison (compare --shard I/N) or of a plan "
                + "(plan --shard I/N) into the files an unsharded compare or plan writes.",
                "Example: servesim merge runs/sweep-1 runs/sweep-2 runs/sweep-3 --out runs/sweep"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SHARD_DIR", arity = "1..*", description = "The --out folders of the shards.")
    List<Path> shards = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder of the merged comparison (the variants' folders are copied into it).")
    Path out;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shards.isEmpty() && PlanShards.isPlan(shards.get(0))) {
            int candidates = PlanShards.merge(shards, out);
            if (!quiet) {
                spec.commandLine().getOut().printf("merged %d shards of a plan, %d candidates, in %s: plan.json, "
                        + "plan.csv, plan.html and chosen/%n", shards.size(), candidates, out);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
        List<Comparison.Variant> variants = ComparisonShards.merge(shards, out);
        if (!quiet) {
            ComparisonTable.print(spec.commandLine().getOut(), variants);
            spec.commandLine().getOut().printf("merged %d shards, %d variants, in %s: compare.json, compare.csv, "
                    + "compare.html, and one folder per variant%n", shards.size(), variants.size(), out);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
