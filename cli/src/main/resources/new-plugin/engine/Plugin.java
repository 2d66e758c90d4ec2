package {{package}};

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngineFactory;
import java.util.List;

/** The plugin's one entry class, found by {@link java.util.ServiceLoader} through {@code provides} in module-info. */
public final class {{prefix}}Plugin implements ServesimPlugin {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new {{component}}Factory());
    }
}
