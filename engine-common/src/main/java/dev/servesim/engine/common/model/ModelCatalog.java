package dev.servesim.engine.common.model;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in models, read once from the resource {@code model-catalog.json}: each entry has a name, the Hugging
 * Face ids it is also known by, and the shape keys of its {@code config.json}, parsed like a user's file.
 */
final class ModelCatalog {

    private static final String RESOURCE = "model-catalog.json";

    private ModelCatalog() {}

    private record Entry(ModelSpec spec, List<String> aliases) {}

    /** Loaded on first use; immutable afterwards. */
    private static final class Holder {
        static final List<Entry> ENTRIES = load();
        static final List<ModelSpec> MODELS = specs(ENTRIES);
        static final String NAMES = names(ENTRIES);
    }

    static List<ModelSpec> models() {
        return Holder.MODELS;
    }

    /** The catalog names, comma-separated, for error messages. */
    static String names() {
        return Holder.NAMES;
    }

    /** The model whose name or alias is {@code name}, ignoring case, or {@code null}. */
    static ModelSpec find(String name) {
        for (Entry entry : Holder.ENTRIES) {
            if (entry.spec().name().equalsIgnoreCase(name)) {
                return entry.spec();
            }
            for (String alias : entry.aliases()) {
                if (alias.equalsIgnoreCase(name)) {
                    return entry.spec();
                }
            }
        }
        return null;
    }

    /**
     * The Hugging Face id {@code vllm serve} would be given for catalog model {@code name}: its Instruct (or chat)
     * variant where the catalog knows one, else its first id; {@code null} if {@code name} is not in the catalog.
     */
    static String servedId(String name) {
        for (Entry entry : Holder.ENTRIES) {
            boolean named = entry.spec().name().equalsIgnoreCase(name)
                    || entry.aliases().stream().anyMatch(alias -> alias.equalsIgnoreCase(name));
            if (named && !entry.aliases().isEmpty()) {
                return entry.aliases().stream()
                        .filter(alias -> alias.toLowerCase(java.util.Locale.ROOT).matches(".*(instruct|chat).*"))
                        .findFirst().orElse(entry.aliases().get(0));
            }
        }
        return null;
    }

    private static List<Entry> load() {
        String json;
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ServesimException(ErrorKind.PLUGIN, "servesim-engine-common lacks its resource " + RESOURCE);
            }
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "cannot read servesim-engine-common's " + RESOURCE + ": " + e, e);
        }
        Map<?, ?> root = (Map<?, ?>) JsonReader.parse(json);
        List<Entry> entries = new ArrayList<>();
        for (Object item : (List<?>) root.get("models")) {
            Map<?, ?> model = (Map<?, ?>) item;
            String name = (String) model.get("name");
            List<String> aliases = new ArrayList<>();
            for (Object alias : (List<?>) model.get("aliases")) {
                aliases.add((String) alias);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) model.get("config");
            entries.add(new Entry(HfModelConfig.parse(name, RESOURCE + " entry " + name, config), List.copyOf(aliases)));
        }
        return List.copyOf(entries);
    }

    private static List<ModelSpec> specs(List<Entry> entries) {
        List<ModelSpec> specs = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            specs.add(entry.spec());
        }
        return List.copyOf(specs);
    }

    private static String names(List<Entry> entries) {
        StringBuilder known = new StringBuilder();
        for (Entry entry : entries) {
            known.append(known.length() == 0 ? "" : ", ").append(entry.spec().name());
        }
        return known.toString();
    }
}
