package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Chart.js as inlined into a page: the UMD build (it bundles its only dependency, {@code @kurkle/color}) and the MIT
 * license text, both read from the webjar {@code org.webjars.npm:chart.js}.
 *
 * <p>On the module path the webjar is the automatic module {@value #MODULE}, found in this module's layer (the boot
 * layer under Surefire and in the distribution); its resources under {@code META-INF/} are in no package, so JPMS does
 * not encapsulate them. When this module is used from the class path, the class loader finds them instead.
 *
 * @param script the library as shipped, with the license banners of Chart.js and {@code @kurkle/color}, without the
 *     reference to a source map that is not there
 * @param license the license notice for an HTML comment before the script: LICENSE.md of Chart.js
 */
record ChartJsLibrary(String script, String license) {
    static final String MODULE = "chart.js";
    static final String VERSION = "4.4.1";
    private static final String ROOT = "META-INF/resources/webjars/chart.js/" + VERSION + "/";

    ChartJsLibrary {
        requireNonNull(script, "script is null");
        requireNonNull(license, "license is null");
    }

    static ChartJsLibrary load() {
        String script = withoutSourceMap(read("dist/chart.umd.js"));
        String lowerCase = script.toLowerCase(Locale.ROOT);
        if (lowerCase.contains("</script") || lowerCase.contains("<!--")) {
            throw new IllegalStateException("Chart.js " + VERSION + " contains text that would end its <script> element");
        }
        String licenseText = read("LICENSE.md").strip();
        if (licenseText.contains("--")) {
            throw new IllegalStateException("the Chart.js license contains '--', which cannot appear in an HTML comment");
        }
        return new ChartJsLibrary(script, "Chart.js " + VERSION + ", included below:\n\n" + licenseText);
    }

    /** Browser developer tools would try to load the map named in the last line; the page ships none. */
    static String withoutSourceMap(String source) {
        int sourceMap = source.lastIndexOf("//# sourceMappingURL=");
        return (sourceMap < 0 ? source : source.substring(0, sourceMap)).strip();
    }

    private static String read(String name) {
        String path = ROOT + name;
        try (InputStream in = open(path)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js " + VERSION + " not found: " + path + " is missing; the webjar "
                        + "org.webjars.npm:chart.js:" + VERSION + " must be on the module path (module " + MODULE + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of Chart.js", e);
        }
    }

    private static InputStream open(String path) throws IOException {
        ModuleLayer layer = ChartJsLibrary.class.getModule().getLayer();
        Optional<Module> webjar = layer == null ? Optional.empty() : layer.findModule(MODULE);
        if (webjar.isPresent()) {
            return webjar.get().getResourceAsStream(path);
        }
        return ChartJsLibrary.class.getClassLoader().getResourceAsStream(path);
    }
}
