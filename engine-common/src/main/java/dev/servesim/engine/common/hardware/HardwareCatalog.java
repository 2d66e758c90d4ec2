package dev.servesim.engine.common.hardware;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in GPUs, one resource file each ({@code hardware/<name>.yaml}, the format users write their own GPUs in),
 * listed in order by {@code hardware/index.txt}; read once, immutable afterwards. Adding a GPU is adding a file and a
 * line.
 */
final class HardwareCatalog {

    private static final String INDEX = "index.txt";

    private HardwareCatalog() {}

    /** Loaded on first use. */
    private static final class Holder {
        static final List<HardwareSpec> ENTRIES = load();
        static final String NAMES = names(ENTRIES);
    }

    static List<HardwareSpec> entries() {
        return Holder.ENTRIES;
    }

    /** The catalog names, comma-separated, for error messages. */
    static String names() {
        return Holder.NAMES;
    }

    /** The GPU whose name or alias is {@code name}, ignoring case, or {@code null}. */
    static HardwareSpec find(String name) {
        for (HardwareSpec spec : Holder.ENTRIES) {
            if (spec.isCalled(name)) {
                return spec;
            }
        }
        return null;
    }

    private static List<HardwareSpec> load() {
        List<HardwareSpec> entries = new ArrayList<>();
        for (String line : resource(INDEX).split("\n")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            String resource = file;
            try {
                entries.add(HardwareFiles.parse(resource(resource), "servesim-engine-common's " + resource));
            } catch (ServesimException e) {
                throw new ServesimException(ErrorKind.PLUGIN, e.getMessage(), e);
            }
        }
        return List.copyOf(entries);
    }

    private static String resource(String name) {
        try (InputStream in = HardwareCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ServesimException(ErrorKind.PLUGIN, "servesim-engine-common lacks its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "cannot read servesim-engine-common's " + name + ": " + e, e);
        }
    }

    private static String names(List<HardwareSpec> entries) {
        StringBuilder known = new StringBuilder();
        for (HardwareSpec spec : entries) {
            known.append(known.length() == 0 ? "" : ", ").append(spec.name());
        }
        return known.toString();
    }
}
