package {{package}};

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import {{package}}.config.{{prefix}}Config;

/** The workload source {@code {{name}}}, selected with {@code workload: {source: {{name}}}}. */
final class {{component}}Factory implements WorkloadSourceFactory<{{prefix}}Config> {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "A fixed number of equal requests at a fixed rate";
    }

    @Override
    public Class<{{prefix}}Config> configType() {
        return {{prefix}}Config.class;
    }

    @Override
    public WorkloadSource create({{prefix}}Config config, WorkloadContext context) {
        int tokens = {{component}}.PROMPT_TOKENS + {{component}}.OUTPUT_TOKENS;
        if (tokens > context.maxModelLen()) {
            throw new ServesimException(ErrorKind.CONFIG, "workload source {{name}}: its requests have " + tokens
                    + " tokens, more than the engines' max_model_len of " + context.maxModelLen());
        }
        return new {{component}}(config, context);
    }
}
