package {{package}};

import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import {{package}}.config.{{prefix}}Config;

/** The metric sink {@code {{name}}}, selected with {@code sinks: [json, {name: {{name}}}]}. */
final class {{component}}Factory implements MetricSinkFactory<{{prefix}}Config> {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "Counts requests by how they ended and writes the counts to a small text file";
    }

    @Override
    public Class<{{prefix}}Config> configType() {
        return {{prefix}}Config.class;
    }

    @Override
    public MetricSink create({{prefix}}Config config, SinkContext context) {
        return new {{component}}(context.outputDirectory().resolve(config.file()));
    }
}
