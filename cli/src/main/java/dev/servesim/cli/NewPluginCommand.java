package dev.servesim.cli;

import dev.servesim.api.ApiVersion;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.ExtensionKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code servesim new-plugin}: writes a plugin project that builds against the distribution's {@code sdk/} with
 * {@code mvn -o package}. The files come from the templates under {@code /new-plugin/} in this module.
 */
@Command(name = "new-plugin", mixinStandardHelpOptions = true,
        description = {"Write a buildable plugin project: pom on servesim-plugin-parent, module-info, plugin, factory,"
                + " a minimal working component, its configuration record, tests (one with the conformance kit of its"
                + " kind), an example run and a README.",
                "Then: cd DIR && mvn -o package, copy target/*.jar into plugins/, servesim run NAME.yaml."})
final class NewPluginCommand implements Callable<Integer> {

    /** The extension kinds, by the word {@code --kind} takes. */
    enum Kind {
        CACHE("cache", ExtensionKind.CACHE, "Cache", "cache.strategy", "KvCacheStrategyConformance"),
        ROUTER("router", ExtensionKind.ROUTER, "Router", "cluster.router.name", "RouterConformance"),
        ENGINE("engine", ExtensionKind.FRAMEWORK, "Engine", "framework.name", "ServingEngineConformance"),
        WORKLOAD("workload", ExtensionKind.WORKLOAD, "Source", "workload.source", "WorkloadSourceConformance"),
        SINK("sink", ExtensionKind.SINK, "Sink", "sinks[].name", "MetricSinkConformance");

        private final String word;
        private final ExtensionKind extension;
        private final String classSuffix;
        private final String selector;
        /** The conformance kit of this kind, in dev.servesim.testing.conformance. */
        private final String kit;

        Kind(String word, ExtensionKind extension, String classSuffix, String selector, String kit) {
            this.word = word;
            this.extension = extension;
            this.classSuffix = classSuffix;
            this.selector = selector;
            this.kit = kit;
        }

        String word() {
            return word;
        }

        static Kind of(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Kebab-case, as factory names are (a trailing digit is refused apart: javac warns about it in a module name). */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int MAX_NAME = 40;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+\\.(\\w+));$",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE_PART = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Java's reserved words and literals (JLS 17, 3.9 and 3.10), which cannot be package name parts. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "_");

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "What the plugin offers: cache, router, engine, workload or sink.")
    String kind;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "The factory's name in configurations, kebab-case (e.g. my-cache); also the plugin's and "
                    + "the artifact's.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Folder to write the project in; must not exist or be empty. Default: ./NAME.")
    Path directory;

    @Option(names = "--package", paramLabel = "PKG",
            description = "Java package, also the module name. Default: com.example.<NAME without dashes>.")
    String javaPackage;

    @Option(names = "--sdk", paramLabel = "DIR",
            description = "The distribution's sdk/ folder to build against. Default: the sdk/ of this distribution.")
    Path sdk;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Kind chosen = Kind.of(kind);
        if (chosen == null) {
            throw usage("--kind must be cache, router, engine, workload or sink, got '" + kind + "'");
        }
        if (!NAME.matcher(name).matches() || name.length() > MAX_NAME
                || Character.isDigit(name.charAt(name.length() - 1))) {
            throw usage("--name must be kebab-case (lowercase letters and digits in words joined by '-', starting "
                    + "with a letter, not ending with a digit, at most " + MAX_NAME + " characters), got '" + name
                    + "'");
        }
        String pkg = javaPackage != null ? javaPackage : "com.example." + name.replace("-", "");
        checkPackage(pkg);
        Path target = (directory != null ? directory : Path.of(name)).toAbsolutePath().normalize();
        checkEmpty(target);
        Path home = home();
        Path sdkFolder = (sdk != null ? sdk : home == null ? null : home.resolve("sdk"));
        if (sdkFolder == null) {
            throw new ServesimException(ErrorKind.CONFIG, "no sdk: run the distribution's bin/servesim, or pass --sdk "
                    + "with the sdk/ folder of a servesim distribution");
        }
        sdkFolder = sdkFolder.toAbsolutePath().normalize();
        if (home == null && Files.isRegularFile(sdkFolder.resolveSibling("bin").resolve("servesim"))) {
            home = sdkFolder.getParent();
        }

        Map<String, String> values = values(chosen, pkg, sdkFolder, home);
        Map<String, String> files = render(chosen, values);
        checkNoClash(files, pkg);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = target.resolve(file.getKey());
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ServesimException(ErrorKind.IO, path + ": cannot write: " + e.getMessage(), e);
            }
        }

        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote the " + chosen.extension.label() + " plugin " + name + " in " + target + " (" + files.size()
                + " files). Build it, drop it in, run it:");
        out.println("  cd " + target);
        out.println("  mvn -o package");
        out.println("  cp target/" + name + "-0.1.0-SNAPSHOT.jar " + values.get("plugins") + "/");
        out.println("  " + values.get("servesim") + " run " + name + ".yaml");
        out.flush();
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private void checkPackage(String pkg) {
        for (String part : pkg.split("\\.", -1)) {
            if (!PACKAGE_PART.matcher(part).matches() || RESERVED.contains(part)) {
                throw usage("'" + pkg + "' is not a lowercase Java package name ('" + part + "' is a Java keyword or "
                        + "not a lowercase identifier); choose one with --package");
            }
            if (Character.isDigit(part.charAt(part.length() - 1))) {
                throw usage("package '" + pkg + "' has a part ending in a digit, which javac warns about in a module "
                        + "name; choose another with --package");
            }
        }
    }

    private static void checkEmpty(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new ServesimException(ErrorKind.CONFIG, target + ": the folder is not empty; choose another "
                            + "--dir (new-plugin never overwrites files)");
                }
            }
        } else if (Files.exists(target)) {
            throw new ServesimException(ErrorKind.CONFIG, target + ": exists and is not a folder; choose another "
                    + "--dir");
        }
    }

    private static Path home() {
        String home = System.getProperty(CommonOptions.HOME_PROPERTY);
        return home == null || home.isBlank() ? null : Path.of(home).toAbsolutePath().normalize();
    }

    /** The version of the plugin parent in {@code sdk/repository}: what the project is built against. */
    private static String sdkVersion(Path sdk) throws IOException {
        Path versions = sdk.resolve("repository/dev/servesim/servesim-plugin-parent");
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(versions)) {
            try (Stream<Path> entries = Files.list(versions)) {
                entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted()
                        .forEach(found::add);
            }
        }
        if (found.size() != 1) {
            throw new ServesimException(ErrorKind.CONFIG, sdk + ": not a servesim sdk (expected one version of "
                    + "dev.servesim:servesim-plugin-parent under repository/, found " + found.size() + "); pass --sdk "
                    + "with the sdk/ folder of a servesim distribution");
        }
        return found.get(0);
    }

    private Map<String, String> values(Kind chosen, String pkg, Path sdkFolder, Path home) throws IOException {
        StringBuilder prefix = new StringBuilder();
        for (String word : name.split("-")) {
            prefix.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("kind", chosen.word());
        values.put("label", chosen.extension.label());
        values.put("selector", chosen.selector);
        values.put("kit", chosen.kit);
        // the section the kit is given, as a configuration selects the plugin: {strategy: my-cache}
        values.put("section", "{" + chosen.selector.substring(chosen.selector.lastIndexOf('.') + 1) + ": " + name
                + "}");
        values.put("package", pkg);
        values.put("packagePath", pkg.replace('.', '/'));
        values.put("prefix", prefix.toString());
        values.put("component", prefix + chosen.classSuffix);
        values.put("sdkVersion", sdkVersion(sdkFolder));
        values.put("sdkRepository", sdkFolder.resolve("repository").toUri().toString());
        values.put("apiVersion", ApiVersion.CURRENT.toString());
        values.put("apiMajor", Integer.toString(ApiVersion.MAJOR));
        values.put("apiMinor", Integer.toString(ApiVersion.MINOR));
        values.put("servesim", home == null ? "servesim" : home.resolve("bin/servesim").toString());
        values.put("plugins", home == null ? "<servesim>/plugins" : home.resolve("plugins").toString());
        return values;
    }

    /** Project-relative path to content, in the order written. */
    private static Map<String, String> render(Kind chosen, Map<String, String> values) {
        String main = "src/main/java/" + values.get("packagePath") + "/";
        String test = "src/test/java/" + values.get("packagePath") + "/";
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("pom.xml", "pom.xml");
        templates.put(".mvn/maven.config", "maven.config");
        templates.put(".gitignore", "gitignore");
        templates.put("README.md", "README.md");
        templates.put(fill(values, "{{name}}.yaml"), chosen.word() + "/example.yaml");
        templates.put("src/main/java/module-info.java", "module-info.java");
        templates.put(main + values.get("prefix") + "Plugin.java", chosen.word() + "/Plugin.java");
        templates.put(main + values.get("component") + "Factory.java", chosen.word() + "/Factory.java");
        templates.put(main + values.get("component") + ".java", chosen.word() + "/Component.java");
        templates.put(main + "config/" + values.get("prefix") + "Config.java", chosen.word() + "/Config.java");
        templates.put(test + values.get("prefix") + "PluginTest.java", chosen.word() + "/PluginTest.java");
        templates.put(test + values.get("prefix") + "ConformanceTest.java", chosen.word() + "/ConformanceTest.java");
        Map<String, String> files = new LinkedHashMap<>();
        templates.forEach((path, template) -> files.put(path, fill(values, template(template))));
        return files;
    }

    private static String template(String path) {
        try (InputStream in = NewPluginCommand.class.getResourceAsStream("/new-plugin/" + path)) {
            if (in == null) {
                throw new IllegalStateException("template /new-plugin/" + path + " is missing from the cli module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + path, e);
        }
    }

    private static String fill(Map<String, String> values, String template) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder text = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalStateException("template placeholder without a value: " + placeholder.group());
            }
            placeholder.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(text).toString();
    }

    /** A generated class named like a type the code imports from elsewhere would not compile. */
    private void checkNoClash(Map<String, String> files, String pkg) {
        Set<String> imported = new TreeSet<>();
        Set<String> generated = new TreeSet<>();
        files.forEach((path, content) -> {
            if (path.endsWith(".java") && !path.endsWith("module-info.java")) {
                generated.add(path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length()));
                Matcher imports = IMPORT.matcher(content);
                while (imports.find()) {
                    if (!imports.group(1).startsWith(pkg + ".")) {
                        imported.add(imports.group(2));
                    }
                }
            }
        });
        generated.retainAll(imported);
        if (!generated.isEmpty()) {
            throw usage("--name " + name + " would give classes the names of types their code uses ("
                    + String.join(", ", generated) + "); choose another name");
        }
    }
}
