package {{package}};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.testing.TestingContexts;
import dev.servesim.testing.TestingPlugins;
import dev.servesim.testing.TestingRecords;
import {{package}}.config.{{prefix}}Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class {{prefix}}PluginTest {

    /** Through ServiceLoader and the factory, as the runner creates it for a run writing into {@code folder}. */
    private static MetricSink create({{prefix}}Config config, Path folder) {
        ServesimPlugin plugin = TestingPlugins.plugin("{{name}}");
        MetricSinkFactory<?> factory = TestingPlugins.factory(plugin, ServesimPlugin::metricSinkFactories, "{{name}}");
        assertThat(factory.configType()).isEqualTo({{prefix}}Config.class);
        return (({{component}}Factory) factory).create(config, TestingContexts.sink(folder));
    }

    private static Request request(long id) {
        return Request.single(id, id, PromptContent.single(id, 100), 10);
    }

    @Test
    void writesTheCountsWhenTheRunEndsAndOnlyThen(@TempDir Path folder) throws Exception {
        MetricSink sink = create(TestingPlugins.defaultConfig({{prefix}}Config.class), folder);
        List<RequestRecord> records = List.of(TestingRecords.completed(request(1), 1.1, 1.5),
                TestingRecords.completed(request(2), 2.1, 2.5),
                TestingRecords.rejected(request(3), "prompt longer than max_model_len"));

        sink.onRunStarted();
        records.forEach(sink::onRequestFinished);
        assertThat(folder.resolve("request-counts.txt")).doesNotExist();
        sink.onRunFinished(TestingRecords.summary("test-run", records));
        sink.close();

        assertThat(Files.readString(folder.resolve("request-counts.txt")))
                .isEqualTo("completed 2\nrejected 1\nunfinished 0\n");
        assertThat(folder).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void configurationDefaultsAndChecks() {
        assertThat(TestingPlugins.defaultConfig({{prefix}}Config.class).file()).isEqualTo("request-counts.txt");
        assertThatThrownBy(() -> new {{prefix}}Config("../counts.txt")).isInstanceOf(ServesimException.class)
                .hasMessage("file: must be a file name without a folder, got '../counts.txt'");
    }
}
