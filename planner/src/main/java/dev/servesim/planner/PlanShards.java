package dev.servesim.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.report.HtmlReport;
import dev.servesim.report.PlanReport;
import dev.servesim.runner.Shard;
import dev.servesim.runner.Variation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code servesim merge} of the folders of a plan's shards ({@code plan --shard I/N}): their candidates in the order of
 * the unsharded plan, the recommendation and Pareto front ranked again over all of them, the chosen deployment's
 * folder copied from the shard that holds it. The merged plan.json, plan.csv and plan.html are those an unsharded plan
 * writes; a test checks it byte for byte.
 */
public final class PlanShards {

    /** The file a plan's folder is recognised by. */
    public static final String PLAN = "plan.json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** What the shards of one plan must share. */
    private static final List<String> SHARED = List.of("config", "mode", "slo", "target", "search", "replicas",
            "seed", "seeds");

    private PlanShards() {}

    /** Whether {@code folder} holds a plan (rather than a comparison's shard). */
    public static boolean isPlan(Path folder) {
        return Files.isRegularFile(folder.resolve(PLAN));
    }

    /** Merges the shards' folders into {@code out}; returns the number of candidates. */
    public static int merge(List<Path> shards, Path out) {
        List<ObjectNode> plans = new ArrayList<>();
        for (Path shard : shards) {
            plans.add(read(shard.resolve(PLAN)));
        }
        ObjectNode first = plans.get(0);
        int count = Shard.parse(first.path("shard").asText("1/1")).count();
        boolean[] seen = new boolean[count + 1];
        for (int i = 0; i < plans.size(); i++) {
            ObjectNode plan = plans.get(i);
            for (String key : SHARED) {
                if (!plan.path(key).equals(first.path(key))) {
                    throw new ServesimException(ErrorKind.CONFIG, shards.get(i).resolve(PLAN) + ": '" + key
                            + "' differs from " + shards.get(0).resolve(PLAN) + "'s: not shards of one plan");
                }
            }
            if (plan.path("partial").asBoolean()) {
                throw new ServesimException(ErrorKind.CONFIG, shards.get(i).resolve(PLAN) + " is a partial plan "
                        + "(interrupted); run that shard again");
            }
            Shard shard = Shard.parse(plan.path("shard").asText("1/1"));
            if (shard.count() != count || seen[shard.index()]) {
                throw new ServesimException(ErrorKind.CONFIG, shards.get(i) + ": shard " + shard + " does not "
                        + "complete the others (" + count + " shards, each once)");
            }
            seen[shard.index()] = true;
        }
        if (plans.size() != count) {
            throw new ServesimException(ErrorKind.CONFIG, "merge: " + plans.size() + " folders given for a plan of "
                    + count + " shards");
        }
        List<JsonCandidate> candidates = new ArrayList<>();
        for (ObjectNode plan : plans) {
            for (JsonNode candidate : plan.path("candidates")) {
                candidates.add(new JsonCandidate((ObjectNode) candidate));
            }
        }
        List<List<String>> order = Variation.crossProduct(searched(first));
        candidates.sort(Comparator.comparingInt((JsonCandidate candidate) -> order.indexOf(candidate.combination(
                order.isEmpty() ? List.of() : keys(first))))
                .thenComparingInt(candidate -> candidate.node().path("settings").path(SearchSpace.REPLICAS_KEY)
                        .asInt(0)));
        String firstKey = first.path("slo").fieldNames().next();
        Ranking<JsonCandidate> ranking = new Ranking<>(first.path("mode").asText().equals("target"), firstKey);
        ObjectNode merged = first.deepCopy();
        merged.put("shard", Shard.ALL.toString());
        ObjectNode recommendation = merged.putObject("recommendation");
        name(recommendation, "cheapest", ranking.cheapest(candidates));
        name(recommendation, "fewest_gpus", ranking.fewestGpus(candidates));
        name(recommendation, "highest_rate", ranking.highestRate(candidates));
        ArrayNode pareto = merged.putArray("pareto");
        ranking.pareto(candidates).forEach(candidate -> pareto.add(candidate.name()));
        JsonCandidate cheapest = ranking.cheapest(candidates);
        merged.putNull("chosen");
        if (cheapest != null) {
            for (int i = 0; i < plans.size(); i++) {
                JsonNode chosen = plans.get(i).path("chosen");
                if (chosen.isObject() && chosen.path("name").asText().equals(cheapest.name())) {
                    merged.set("chosen", chosen.deepCopy());
                    copyTree(shards.get(i).resolve(PlanWriter.CHOSEN), out.resolve(PlanWriter.CHOSEN));
                }
            }
        }
        // keep the field order of an unsharded plan.json: candidates last
        ArrayNode list = JSON.createArrayNode();
        candidates.forEach(candidate -> list.add(candidate.node()));
        merged.remove("candidates");
        merged.set("candidates", list);
        String json;
        try {
            json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(merged) + "\n";
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write the merged plan.json: " + e.getMessage(), e);
        }
        PlanWriter.writeAtomically(out.resolve(PLAN), json);
        PlanWriter.writeAtomically(out.resolve("plan.csv"), csv(shards, candidates));
        PlanWriter.writeAtomically(out.resolve("plan.html"), HtmlReport.render(new PlanReport("servesim plan "
                + Path.of(first.path("config").asText()).getFileName(), json)));
        return candidates.size();
    }

    private static List<Variation> searched(ObjectNode plan) {
        List<Variation> variations = new ArrayList<>();
        for (String key : keys(plan)) {
            List<String> values = new ArrayList<>();
            plan.path("search").path(key).forEach(value -> values.add(value.asText()));
            variations.add(new Variation(key, values));
        }
        return variations;
    }

    private static List<String> keys(ObjectNode plan) {
        List<String> keys = new ArrayList<>();
        plan.path("search").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The shards' plan.csv rows, in the merged candidates' order. */
    private static String csv(List<Path> shards, List<JsonCandidate> candidates) {
        Map<String, String> rows = new HashMap<>();
        String header = null;
        for (Path shard : shards) {
            List<String> lines;
            try {
                lines = Files.readAllLines(shard.resolve("plan.csv"));
            } catch (IOException e) {
                throw new ServesimException(ErrorKind.IO, "cannot read " + shard.resolve("plan.csv") + ": "
                        + e.getMessage(), e);
            }
            header = lines.get(0);
            for (String line : lines.subList(1, lines.size())) {
                rows.put(firstCell(line), line);
            }
        }
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (JsonCandidate candidate : candidates) {
            String row = rows.get(candidate.name());
            if (row == null) {
                throw new ServesimException(ErrorKind.CONFIG, "merge: no plan.csv row of " + candidate.name());
            }
            csv.append(row).append('\n');
        }
        return csv.toString();
    }

    /** The first cell of a CSV line, unquoted. */
    static String firstCell(String line) {
        if (!line.startsWith("\"")) {
            int comma = line.indexOf(',');
            return comma < 0 ? line : line.substring(0, comma);
        }
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    break;
                }
            } else {
                cell.append(c);
            }
        }
        return cell.toString();
    }

    private static void name(ObjectNode node, String key, JsonCandidate candidate) {
        if (candidate == null) {
            node.putNull(key);
        } else {
            node.put(key, candidate.name());
        }
    }

    private static ObjectNode read(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (!(node instanceof ObjectNode object) || !object.path("candidates").isArray()) {
                throw new ServesimException(ErrorKind.CONFIG, file + " is not a plan.json of servesim plan");
            }
            return object;
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** A candidate as a shard's plan.json has it. */
    private record JsonCandidate(ObjectNode node) implements Ranked {

        @Override
        public String name() {
            return node.path("name").asText();
        }

        @Override
        public boolean meets() {
            return node.path("status").asText().equals(Outcome.Status.MEETS.label());
        }

        @Override
        public double usdPerHour() {
            return number(node.path("usd_per_hour"));
        }

        @Override
        public double usdPerMillionOutputTokens() {
            return number(node.path("usd_per_million_output_tokens"));
        }

        @Override
        public int gpus() {
            return node.path("gpus").asInt(0);
        }

        @Override
        public double rate() {
            return number(node.path("rate"));
        }

        @Override
        public double figureMs(String key) {
            return number(node.path("figures").path(key + "_ms"));
        }

        /** Its values of the searched keys, as {@code key=value} in their order. */
        List<String> combination(List<String> keys) {
            List<String> combination = new ArrayList<>();
            for (String key : keys) {
                combination.add(key + "=" + node.path("settings").path(key).asText());
            }
            return combination;
        }

        private static double number(JsonNode value) {
            return value.isNumber() ? value.asDouble() : Double.NaN;
        }
    }
}
