package {{package}};

import dev.servesim.api.ServesimException;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import {{package}}.config.{{prefix}}Config;

/** The router {@code {{name}}}, selected with {@code cluster: {router: {name: {{name}}}}}. */
final class {{component}}Factory implements RouterFactory<{{prefix}}Config> {

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "Round robin over the replicas, from a configured first one";
    }

    @Override
    public Class<{{prefix}}Config> configType() {
        return {{prefix}}Config.class;
    }

    @Override
    public Router create({{prefix}}Config config, RouterContext context) {
        // what depends on the cluster is checked here, naming the key
        if (config.firstReplica() >= context.replicas()) {
            throw ServesimException.config("first_replica", "must be less than the number of replicas ("
                    + context.replicas() + "), got " + config.firstReplica());
        }
        return new {{component}}(config.firstReplica());
    }
}
