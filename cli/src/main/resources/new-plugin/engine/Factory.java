package {{package}};

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import {{package}}.config.{{prefix}}Config;

/** The framework {@code {{name}}}, selected with {@code framework: {name: {{name}}}}. */
final class {{component}}Factory implements ServingEngineFactory<{{prefix}}Config> {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "Serves every request at once, one token per fixed latency";
    }

    @Override
    public Class<{{prefix}}Config> configType() {
        return {{prefix}}Config.class;
    }

    @Override
    public ServingEngine create({{prefix}}Config config, EngineContext context) {
        return new {{component}}(config, context);
    }
}
