package dev.servesim.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void theSdkPomsOfApiCoreAndTestingDeclareTheModulesRuntimeDependencies() throws Exception {
        for (String module : List.of("api", "core", "testing")) {
            Document sdk = parse(Path.of("src/sdk/poms/servesim-" + module + ".pom"));
            Document build = parse(ROOT.resolve(module).resolve("pom.xml"));

            assertThat(child(sdk.getDocumentElement(), "artifactId")).isEqualTo("servesim-" + module);
            assertThat(dependencies(sdk)).as(module).isEqualTo(dependencies(build));
        }
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

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** groupId:artifactId of every dependency that a consumer gets (not test, not provided), in order. */
    private static List<String> dependencies(Document pom) {
        List<String> found = new ArrayList<>();
        for (Element dependencies : children(pom.getDocumentElement(), "dependencies")) {
            for (Element dependency : children(dependencies, "dependency")) {
                String scope = child(dependency, "scope");
                if (!scope.equals("test") && !scope.equals("provided")) {
                    found.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId"));
                }
            }
        }
        return found;
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
