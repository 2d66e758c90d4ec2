package dev.servesim.runner;

import static dev.servesim.runner.BindingMessages.describe;
import static dev.servesim.runner.BindingMessages.join;
import static dev.servesim.runner.BindingMessages.joinSorted;
import static dev.servesim.runner.BindingMessages.jsonPath;
import static dev.servesim.runner.BindingMessages.shortText;
import static dev.servesim.runner.BindingMessages.valueAt;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.config.ConfigSource;
import dev.servesim.runner.config.Overrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a configuration file, applies {@code --set} overrides, and binds every section strictly to its factory's
 * record. All problems are collected and reported together, numbered, each with the file, line and column, the key
 * path and - for names - the available choices.
 */
public final class ConfigLoader {

    private static final List<String> SETTINGS_KEYS = List.of("name", "seed", "horizon", "snapshot_interval", "output",
            "warmup", "slo", "pace", "max_in_flight", "cost");
    private static final List<String> TOP_LEVEL_KEYS = Stream.concat(SETTINGS_KEYS.stream(),
            Stream.of(ExtensionKind.FRAMEWORK.section(), ExtensionKind.CACHE.section(),
                    ExtensionKind.WORKLOAD.section(), ExtensionKind.SINK.section(), "cluster")).toList();
    private static final String CLUSTER = "cluster";
    private static final String ROUTER = "router";
    private static final String DEFAULT_ROUTER = "round-robin";
    private static final String DEFAULT_CACHE = "disabled";
    private static final List<String> DEFAULT_SINKS = List.of("json", "csv", "html");
    private static final Pattern KEY_PREFIX = Pattern.compile("^([a-z0-9_.\\[\\]]+): (.*)$", Pattern.DOTALL);

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final PluginRegistry registry;

    public ConfigLoader(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** Reads, overrides and binds {@code file}. */
    public RunConfiguration load(Path file, List<String> overrides) {
        return load(file, overrides, null);
    }

    /**
     * As {@link #load}, for {@code servesim serve}: the {@code workload} section is optional. Absent, it is
     * {@code {source: none}} (no traffic but the live requests); present, its requests run alongside the live ones.
     */
    public RunConfiguration loadForServing(Path file, List<String> overrides) {
        return load(file, overrides, NoWorkloadFactory.NAME);
    }

    private RunConfiguration load(Path file, List<String> overrides, String defaultWorkload) {
        ConfigSource source = ConfigSource.read(file);
        Overrides.apply(source, overrides);
        String fileName = file.getFileName().toString();
        String defaultName = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        return bind(source, defaultName, defaultWorkload);
    }

    /**
     * Whether {@code key} (dotted, e.g. {@code cache.capacity_blocks}) is a setting of the component that
     * {@code file} with {@code overrides} selects in the key's section ({@code framework}, {@code cache},
     * {@code workload} or {@code cluster.router}). Keys of other sections, the selector itself, and sections whose
     * component is unknown count as applicable: binding then reports what is wrong.
     */
    boolean applies(Path file, List<String> overrides, String key) {
        ConfigSource source = ConfigSource.read(file);
        Overrides.apply(source, overrides);
        for (ExtensionKind kind : List.of(ExtensionKind.FRAMEWORK, ExtensionKind.CACHE, ExtensionKind.WORKLOAD,
                ExtensionKind.ROUTER)) {
            String section = kind.section();
            if (!key.startsWith(section + ".") || key.equals(section + "." + kind.selector())) {
                continue;
            }
            String setting = key.substring(section.length() + 1);
            int dot = setting.indexOf('.');
            String top = dot < 0 ? setting : setting.substring(0, dot);
            JsonNode node = source.root().at("/" + section.replace('.', '/'));
            String name = node.path(kind.selector()).isTextual() ? node.path(kind.selector()).asText()
                    : kind == ExtensionKind.CACHE ? DEFAULT_CACHE : kind == ExtensionKind.ROUTER ? DEFAULT_ROUTER
                    : null;
            return name == null || registry.find(kind, name).map(factory -> Arrays.stream(
                    factory.factory().configType().getRecordComponents())
                    .anyMatch(component -> SNAKE.translate(component.getName()).equals(top))).orElse(true);
        }
        return true;
    }

    /**
     * Binds one component outside a configuration file, e.g. the sink a command-line flag adds.
     *
     * @param settings the component's keys (snake_case) and values
     * @param origin what to name in error messages, e.g. {@code --dump-trace}
     */
    public BoundComponent component(ExtensionKind kind, String name, Map<String, ?> settings, String origin) {
        ObjectNode node = ConfigMappers.json().valueToTree(settings);
        node.put(kind.selector(), name);
        ObjectNode root = ConfigMappers.json().createObjectNode();
        root.set("component", node);
        Binding binding = new Binding(ConfigSource.fromTree(root, origin));
        BoundComponent component = binding.component(kind, node, origin);
        binding.throwIfAny();
        return component;
    }

    /** Binds an already parsed (and overridden) document. */
    RunConfiguration bind(ConfigSource source, String defaultName) {
        return bind(source, defaultName, null);
    }

    private RunConfiguration bind(ConfigSource source, String defaultName, String defaultWorkload) {
        Binding binding = new Binding(source);
        ObjectNode root = source.root();
        root.fieldNames().forEachRemaining(key -> {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                binding.problem(key, key + ": unknown key; known keys: " + String.join(", ", TOP_LEVEL_KEYS));
            }
        });
        ObjectNode settingsNode = ConfigMappers.json().createObjectNode();
        for (String key : SETTINGS_KEYS) {
            if (root.has(key)) {
                settingsNode.set(key, root.get(key));
            }
        }
        if (!settingsNode.hasNonNull("name")) {
            settingsNode.put("name", defaultName);
        }
        RunSettings settings = binding.bind(settingsNode, RunSettings.class, "");
        BoundComponent framework = binding.section(ExtensionKind.FRAMEWORK, root.get("framework"), "framework", null);
        BoundComponent cache = binding.section(ExtensionKind.CACHE, root.get("cache"), "cache", DEFAULT_CACHE);
        BoundComponent workload = binding.section(ExtensionKind.WORKLOAD, root.get("workload"), "workload",
                defaultWorkload);
        List<BoundComponent> sinks = binding.sinks(root.get("sinks"));
        DeploymentSpec deployment = deployment(binding, root, framework);
        binding.throwIfAny();
        return new RunConfiguration(source.origin(), settings, framework, cache, workload, sinks, deployment);
    }

    /**
     * The one place that turns the {@code cluster} section into a {@link DeploymentSpec}: its settings, its router
     * (round-robin when several replicas name none) and each replica's framework, the {@code framework} section
     * merged with its group's or pool's overrides. Null when something is wrong (reported to {@code binding}).
     */
    private DeploymentSpec deployment(Binding binding, ObjectNode root, BoundComponent framework) {
        JsonNode clusterNode = root.get(CLUSTER);
        if (clusterNode == null || clusterNode.isNull()) {
            return framework == null ? null : DeploymentSpec.single(framework);
        }
        if (!clusterNode.isObject()) {
            binding.problem(CLUSTER, CLUSTER + ": expected a mapping with 'replicas', 'report_interval', 'router'"
                    + " and the other cluster keys");
            return null;
        }
        ObjectNode clusterSettings = ((ObjectNode) clusterNode).deepCopy();
        clusterSettings.remove(ROUTER);
        ClusterSettings cluster = binding.bind(clusterSettings, ClusterSettings.class, CLUSTER);
        JsonNode routerNode = clusterNode.get(ROUTER);
        BoundComponent router = null;
        // one replica needs no router; more get round-robin unless one is named (a router written is always checked)
        if (routerNode != null && !routerNode.isNull() || cluster != null && cluster.replicas() > 1) {
            router = binding.section(ExtensionKind.ROUTER, routerNode, ExtensionKind.ROUTER.section(),
                    DEFAULT_ROUTER);
        }
        if (cluster == null || !(root.get("framework") instanceof ObjectNode base)) {
            return null;
        }
        List<BoundComponent> replicas = new ArrayList<>();
        if (cluster.disaggregated()) {
            addReplicas(replicas, binding.section(ExtensionKind.FRAMEWORK, merged(base, cluster.prefill().framework()),
                    CLUSTER + ".prefill.framework", null), cluster.prefill().replicas());
            addReplicas(replicas, binding.section(ExtensionKind.FRAMEWORK, merged(base, cluster.decode().framework()),
                    CLUSTER + ".decode.framework", null), cluster.decode().replicas());
        } else if (cluster.groups().isEmpty()) {
            addReplicas(replicas, framework, cluster.replicas());
        } else {
            for (int group = 0; group < cluster.groups().size(); group++) {
                addReplicas(replicas, binding.section(ExtensionKind.FRAMEWORK,
                        merged(base, cluster.groups().get(group).framework()),
                        CLUSTER + ".groups[" + group + "].framework", null), cluster.groups().get(group).replicas());
            }
        }
        if (replicas.contains(null) || (router == null && cluster.replicas() > 1)) {
            return null;
        }
        return new DeploymentSpec(cluster, router, replicas);
    }

    private static void addReplicas(List<BoundComponent> replicas, BoundComponent framework, int count) {
        for (int i = 0; i < count; i++) {
            replicas.add(framework);
        }
    }

    /** {@code base} with {@code overrides} applied key by key, nested mappings merged. */
    private static ObjectNode merged(ObjectNode base, Map<String, Object> overrides) {
        ObjectNode result = base.deepCopy();
        merge(result, ConfigMappers.json().valueToTree(overrides));
        return result;
    }

    private static void merge(ObjectNode target, ObjectNode overrides) {
        overrides.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode nested) {
                merge(existingObject, nested);
            } else {
                target.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
    }

    private final class Binding {

        private final ConfigSource source;
        private final List<String> problems = new ArrayList<>();

        Binding(ConfigSource source) {
            this.source = source;
        }

        void problem(String path, String message) {
            problems.add(source.locate(path) + ": " + message);
        }

        void throwIfAny() {
            if (problems.size() == 1) {
                throw new ServesimException(ErrorKind.CONFIG, problems.get(0));
            }
            if (!problems.isEmpty()) {
                StringBuilder message = new StringBuilder(problems.size() + " configuration problems:");
                for (int i = 0; i < problems.size(); i++) {
                    message.append(System.lineSeparator()).append("  ").append(i + 1).append(". ")
                            .append(problems.get(i));
                }
                throw new ServesimException(ErrorKind.CONFIG, message.toString());
            }
        }

        BoundComponent section(ExtensionKind kind, JsonNode node, String path, String defaultName) {
            if (node == null || node.isNull()) {
                if (defaultName == null) {
                    problem(path, path + ": is required; available " + kind.plural() + ": " + available(kind));
                    return null;
                }
                node = ConfigMappers.json().createObjectNode().put(kind.selector(), defaultName);
            }
            if (!node.isObject()) {
                problem(path, path + ": expected a mapping with '" + kind.selector() + "' and settings");
                return null;
            }
            return component(kind, (ObjectNode) node, path);
        }

        private BoundComponent component(ExtensionKind kind, ObjectNode node, String path) {
            String selectorPath = path + "." + kind.selector();
            JsonNode selector = node.get(kind.selector());
            if (selector == null || !selector.isTextual()) {
                problem(selectorPath, selectorPath + ": is required (a " + kind.label() + " name); available: "
                        + available(kind));
                reportKeysNoneKnows(kind, node, path);
                return null;
            }
            var factory = registry.find(kind, selector.asText());
            if (factory.isEmpty()) {
                Optional<String> unusable = registry.whyUnusable(kind, selector.asText());
                problem(selectorPath, selectorPath + ": " + (unusable.isPresent() ? unusable.get()
                        : "unknown " + kind.label() + " '" + selector.asText() + "'; available: " + available(kind)));
                return null;
            }
            ObjectNode settings = node.deepCopy();
            settings.remove(kind.selector());
            Class<? extends Record> type = factory.get().factory().configType();
            boolean allKnown = dropUnknownKeys(settings, type, path);
            Record config = bind(settings, type, path);
            if (!allKnown || config == null) {
                return null;
            }
            Record resolved = resolve(factory.get().factory(), config, path);
            return resolved == null ? null : new BoundComponent(factory.get(), resolved);
        }

        /** The factory's effective configuration ({@code ExtensionFactory.resolve}); null if it refused it. */
        private <C extends Record> Record resolve(ExtensionFactory<C> factory, Record config, String path) {
            try {
                return factory.resolve(factory.configType().cast(config));
            } catch (ServesimException e) {
                if (e.kind() != ErrorKind.CONFIG) {
                    throw e;
                }
                refused(e, path);
                return null;
            }
        }

        /** Reports a record's or factory's refusal, its message naming the key relative to {@code where}. */
        private void refused(Throwable cause, String where) {
            String message = cause.getMessage();
            Matcher matcher = KEY_PREFIX.matcher(message == null ? "" : message);
            if (cause instanceof ServesimException && matcher.matches()) {
                String key = join(where, matcher.group(1));
                problem(key, key + ": " + matcher.group(2));
            } else {
                problem(where, (where.isEmpty() ? "" : where + ": ") + message);
            }
        }

        List<BoundComponent> sinks(JsonNode node) {
            List<BoundComponent> sinks = new ArrayList<>();
            ArrayNode list;
            if (node == null || node.isNull()) {
                list = ConfigMappers.json().createArrayNode();
                DEFAULT_SINKS.forEach(list::add);
            } else if (node.isArray()) {
                list = (ArrayNode) node;
            } else {
                problem("sinks", "sinks: expected a list of sink names or mappings with 'name'");
                return sinks;
            }
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "sinks[" + i + "]";
                JsonNode item = list.get(i);
                ObjectNode itemNode = item instanceof TextNode text
                        ? ConfigMappers.json().createObjectNode().put("name", text.asText())
                        : item.isObject() ? (ObjectNode) item : null;
                if (itemNode == null) {
                    problem(path, path + ": expected a sink name or a mapping with 'name'");
                    continue;
                }
                BoundComponent sink = component(ExtensionKind.SINK, itemNode, path);
                if (sink != null && !seen.add(sink.name())) {
                    problem(path, path + ": sink '" + sink.name() + "' is listed twice");
                } else if (sink != null) {
                    sinks.add(sink);
                }
            }
            return sinks;
        }

        /**
         * Without a name the section's settings cannot be checked; its keys that no {@code kind} knows are still
         * reported, so that a misspelt key is not hidden behind the missing name.
         */
        private void reportKeysNoneKnows(ExtensionKind kind, ObjectNode node, String path) {
            Set<String> known = new TreeSet<>();
            for (String name : registry.names(kind)) {
                registry.find(kind, name).ifPresent(factory -> {
                    for (var component : factory.factory().configType().getRecordComponents()) {
                        known.add(SNAKE.translate(component.getName()));
                    }
                });
            }
            node.fieldNames().forEachRemaining(key -> {
                if (!key.equals(kind.selector()) && !known.contains(key)) {
                    String full = join(path, key);
                    problem(full, full + ": unknown key for every " + kind.label());
                }
            });
        }

        /**
         * Reports and removes every key of {@code node} that {@code type} does not have, so that the values of the
         * known keys are still checked; true if there was none.
         */
        private boolean dropUnknownKeys(ObjectNode node, Class<? extends Record> type, String path) {
            Set<String> known = new TreeSet<>();
            for (var component : type.getRecordComponents()) {
                known.add(SNAKE.translate(component.getName()));
            }
            List<String> unknown = new ArrayList<>();
            node.fieldNames().forEachRemaining(key -> {
                if (!known.contains(key)) {
                    unknown.add(key);
                }
            });
            for (String key : unknown) {
                node.remove(key);
                String full = join(path, key);
                problem(full, full + ": unknown key; known keys: " + (known.isEmpty() ? "(none)" : String.join(", ", known)));
            }
            return unknown.isEmpty();
        }

        <T> T bind(ObjectNode node, Class<T> type, String path) {
            try {
                return ConfigMappers.json().treeToValue(node, type);
            } catch (UnrecognizedPropertyException e) {
                String key = join(path, jsonPath(e));
                Collection<Object> known = e.getKnownPropertyIds();
                problem(key, key + ": unknown key; known keys: " + joinSorted(known));
            } catch (ValueInstantiationException e) {
                Throwable cause = e.getCause();
                while (cause != null && !(cause instanceof ServesimException) && cause.getCause() != null
                        && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                String where = join(path, jsonPath(e));
                if (cause == null) {
                    problem(where, (where.isEmpty() ? "" : where + ": ") + e.getOriginalMessage());
                } else {
                    refused(cause, where);
                }
            } catch (InvalidFormatException e) {
                String key = join(path, jsonPath(e));
                problem(key, key + ": expected " + describe(e.getTargetType()) + ", got '" + e.getValue() + "'");
            } catch (MismatchedInputException e) {
                String key = join(path, jsonPath(e));
                JsonNode value = valueAt(node, e);
                problem(key, key + ": expected " + describe(e.getTargetType())
                        + (value == null ? "" : ", got " + shortText(value)));
            } catch (JsonProcessingException e) {
                problem(path, (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                problem(path, (path.isEmpty() ? "" : path + ": ") + e.getMessage());
            }
            return null;
        }
    }

    private String available(ExtensionKind kind) {
        List<String> names = registry.names(kind);
        return names.isEmpty() ? "(none installed)" : String.join(", ", names);
    }
}
