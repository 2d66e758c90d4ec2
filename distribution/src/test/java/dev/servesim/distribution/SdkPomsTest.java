package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The poms the sdk carries are written by hand (flattened, so that a plugin resolves them without the servesim
 * reactor): they must say what the build's own poms say.
 */
class SdkPomsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The servesim artifacts sdk/repository carries besides the plugin parent, by module folder. */
    private static final List<String> MODULES = List.of("api", "core", "testing", "runner", "report",
            "engine-common", "engine-vllm", "cache-strategies", "workload", "routers");

    @Test
    void everySdkPomDeclaresItsModulesRuntimeDependenciesWithTheBuildsVersions() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        for (String module : MODULES) {
            Document sdk = parse(Path.of("src/sdk/poms/servesim-" + module + ".pom"));
            Document build = parse(ROOT.resolve(module).resolve("pom.xml"));

            assertThat(children(sdk.getDocumentElement(), "parent")).as(module).isEmpty();
            assertThat(child(sdk.getDocumentElement(), "artifactId")).isEqualTo("servesim-" + module);
            assertThat(child(sdk.getDocumentElement(), "version")).isEqualTo("${project.version}");
            assertThat(dependencies(sdk, sdk)).as(module).isEqualTo(dependencies(build, root));
        }
    }

    @Test
    void theDistributionInstallsEverySdkPomIntoSdkRepository() throws Exception {
        List<String> poms;
        try (Stream<Path> files = Files.list(Path.of("src/sdk/poms"))) {
            poms = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        assertThat(poms).containsExactlyInAnyOrderElementsOf(
                MODULES.stream().map(module -> "servesim-" + module + ".pom").toList());

        List<String> installed = new ArrayList<>();
        Element build = children(parse(Path.of("pom.xml")).getDocumentElement(), "build").get(0);
        for (Element plugin : children(children(build, "plugins").get(0), "plugin")) {
            if (child(plugin, "artifactId").equals("maven-install-plugin")) {
                for (Element execution : children(children(plugin, "executions").get(0), "execution")) {
                    Element configuration = children(execution, "configuration").get(0);
                    assertThat(child(configuration, "localRepositoryPath")).as(child(execution, "id"))
                            .isEqualTo("${sdk.directory}/repository");
                    installed.add(child(configuration, "pomFile"));
                }
            }
        }
        List<String> expected = new ArrayList<>(List.of("${project.basedir}/../plugin-parent/pom.xml"));
        MODULES.forEach(module -> expected.add("${project.build.directory}/sdk-poms/servesim-" + module + ".pom"));
        assertThat(installed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void thePluginParentStandsAloneAndPinsWhatTheBuildPins() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document parent = parse(ROOT.resolve("plugin-parent/pom.xml"));
        Element project = parent.getDocumentElement();

        assertThat(children(project, "parent")).as("a plugin built from the sdk has no servesim reactor").isEmpty();
        String version = child(root.getDocumentElement(), "version");
        assertThat(child(project, "version")).isEqualTo(version);
        Element properties = children(project, "properties").get(0);
        Element rootProperties = children(root.getDocumentElement(), "properties").get(0);
        assertThat(child(properties, "servesim.version")).isEqualTo(version);
        assertThat(child(properties, "junit.version")).isEqualTo(child(rootProperties, "junit.version"));
        assertThat(child(properties, "assertj.version")).isEqualTo(child(rootProperties, "assertj.version"));
        Map<String, String> pinned = pluginVersions(parent);
        assertThat(pinned).containsKeys("maven-clean-plugin", "maven-resources-plugin", "maven-compiler-plugin",
                "maven-surefire-plugin", "maven-jar-plugin", "maven-install-plugin", "maven-deploy-plugin",
                "maven-site-plugin");
        assertThat(pluginVersions(root)).containsAllEntriesOf(pinned);
    }

    @Test
    void thePluginParentManagesWhatAPluginTestRunsWith() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Element project = parse(ROOT.resolve("plugin-parent/pom.xml")).getDocumentElement();

        List<String> managed = new ArrayList<>();
        for (Element management : children(project, "dependencyManagement")) {
            for (Element dependency : children(children(management, "dependencies").get(0), "dependency")) {
                managed.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId") + ":"
                        + child(dependency, "version") + ":" + child(dependency, "scope"));
            }
        }
        assertThat(managed).containsExactly("dev.servesim:servesim-api:${servesim.version}:provided",
                "dev.servesim:servesim-testing:${servesim.version}:test",
                "dev.servesim:servesim-engine-vllm:${servesim.version}:test",
                "dev.servesim:servesim-cache-strategies:${servesim.version}:test",
                "dev.servesim:servesim-workload:${servesim.version}:test",
                "dev.servesim:servesim-routers:${servesim.version}:test",
                "org.junit.jupiter:junit-jupiter:${junit.version}:test",
                "org.assertj:assertj-core:${assertj.version}:test");

        // the runner under the conformance kits needs what the build's own test JVMs get
        String guice = "-Dguice_bytecode_gen_option=DISABLED";
        Element rootProperties = children(root.getDocumentElement(), "properties").get(0);
        assertThat(child(rootProperties, "servesim.test.jvm")).contains(guice);
        Element surefire = plugin(project, "maven-surefire-plugin");
        assertThat(child(children(surefire, "configuration").get(0), "argLine")).isEqualTo("@{argLine} " + guice);
        // appendable: the argLine property, empty unless the project, the command line or JaCoCo sets it
        assertThat(child(children(project, "properties").get(0), "argLine")).isEmpty();
        assertThat(children(children(project, "properties").get(0), "argLine")).hasSize(1);
        Element profile = children(children(project, "profiles").get(0), "profile").get(0);
        assertThat(child(children(children(profile, "activation").get(0), "property").get(0), "name"))
                .isEqualTo("argLine");
        assertThat(child(children(profile, "properties").get(0), "argLine")).isEqualTo("${argLine}");
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /**
     * groupId:artifactId:version, and the exclusions, of every dependency that a consumer gets (not test, not
     * provided), in order. A version the pom leaves out is the one {@code management}'s dependencyManagement gives,
     * directly or through an imported bom of the same group (jackson-bom for com.fasterxml.jackson.core).
     */
    private static List<String> dependencies(Document pom, Document management) {
        List<String> found = new ArrayList<>();
        for (Element dependencies : children(pom.getDocumentElement(), "dependencies")) {
            for (Element dependency : children(dependencies, "dependency")) {
                String scope = child(dependency, "scope");
                if (!scope.equals("test") && !scope.equals("provided")) {
                    String groupId = child(dependency, "groupId");
                    String artifactId = child(dependency, "artifactId");
                    String version = child(dependency, "version");
                    if (version.isEmpty()) {
                        version = managedVersion(management, groupId, artifactId);
                    }
                    List<String> exclusions = new ArrayList<>();
                    for (Element list : children(dependency, "exclusions")) {
                        for (Element exclusion : children(list, "exclusion")) {
                            exclusions.add(child(exclusion, "groupId") + ":" + child(exclusion, "artifactId"));
                        }
                    }
                    found.add(groupId + ":" + artifactId + ":" + version + (exclusions.isEmpty() ? ""
                            : " excluding " + exclusions));
                }
            }
        }
        return found;
    }

    private static String managedVersion(Document pom, String groupId, String artifactId) {
        String fromBom = "";
        for (Element management : children(pom.getDocumentElement(), "dependencyManagement")) {
            for (Element dependencies : children(management, "dependencies")) {
                for (Element dependency : children(dependencies, "dependency")) {
                    String managedGroup = child(dependency, "groupId");
                    if (child(dependency, "scope").equals("import")) {
                        if (groupId.equals(managedGroup) || groupId.startsWith(managedGroup + ".")) {
                            fromBom = child(dependency, "version");
                        }
                    } else if (managedGroup.equals(groupId) && child(dependency, "artifactId").equals(artifactId)) {
                        return child(dependency, "version");
                    }
                }
            }
        }
        assertThat(fromBom).as("the root pom's version of " + groupId + ":" + artifactId).isNotEmpty();
        return fromBom;
    }

    private static Element plugin(Element project, String artifactId) {
        for (Element build : children(project, "build")) {
            for (Element management : children(build, "pluginManagement")) {
                for (Element plugin : children(children(management, "plugins").get(0), "plugin")) {
                    if (child(plugin, "artifactId").equals(artifactId)) {
                        return plugin;
                    }
                }
            }
        }
        throw new AssertionError("no " + artifactId + " in the pluginManagement of " + child(project, "artifactId"));
    }

    private static Map<String, String> pluginVersions(Document pom) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (Element build : children(pom.getDocumentElement(), "build")) {
            for (Element management : children(build, "pluginManagement")) {
                for (Element plugins : children(management, "plugins")) {
                    for (Element plugin : children(plugins, "plugin")) {
                        versions.put(child(plugin, "artifactId"), child(plugin, "version"));
                    }
                }
            }
        }
        return versions;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    /** Text of the only child called {@code name}, or empty. */
    private static String child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }
}
