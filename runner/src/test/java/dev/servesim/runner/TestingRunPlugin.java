package dev.servesim.runner;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import java.util.List;
import java.util.Map;

/**
 * Test plugin with hand-computable timings: framework {@code serial} runs one request at a time (first token
 * {@code ttft} after it starts, then one token per {@code itl}); workload {@code scripted} sends requests at given
 * times; workload {@code random} draws arrival gaps from its random stream.
 */
public final class TestingRunPlugin implements ServesimPlugin {

    /** The plugin, as ServiceLoader and the tests create it. */
    public TestingRunPlugin() {}

    /**
     * Serial engine settings. With {@code gpus} (and {@code gpu}, a GPU name) the engine reports a memory plan of
     * that many GPUs of 80 GiB (72 budget, 15 weights, 2 reserve, 55 KV) and 1,000 blocks of 16 tokens.
     */
    public record SerialConfig(Double ttft, Double itl, Integer gpus, String gpu) {
        public SerialConfig {
            ttft = dev.servesim.api.ConfigValues.orDefault(ttft, 0.1);
            itl = dev.servesim.api.ConfigValues.orDefault(itl, 0.01);
        }

        public SerialConfig(Double ttft, Double itl) {
            this(ttft, itl, null, null);
        }
    }

    /**
     * Scripted arrivals: times, prompt tokens and output tokens, one entry per request. With {@code fail_at} the
     * source fails at that time ({@code failure}: {@code config}, as a bad input line would; {@code memory}, as an
     * exhausted heap; {@code bug}, a plain runtime exception; {@code start}, when the run starts).
     */
    public record ScriptedConfig(List<Double> arrivals, Integer promptTokens, Integer outputTokens, Double failAt,
            String failure) {
        public ScriptedConfig {
            failure = dev.servesim.api.ConfigValues.orDefault(failure, "config");
            arrivals = List.copyOf(dev.servesim.api.ConfigValues.required("arrivals", arrivals));
            promptTokens = dev.servesim.api.ConfigValues.orDefault(promptTokens, 10);
            outputTokens = dev.servesim.api.ConfigValues.positive("output_tokens",
                    dev.servesim.api.ConfigValues.orDefault(outputTokens, 3));
        }
    }

    /** Random arrivals. */
    public record RandomConfig(Integer count, Nested nested) {
        public RandomConfig {
            count = dev.servesim.api.ConfigValues.orDefault(count, 20);
        }
    }

    /** A nested section, to test nested key paths. */
    public record Nested(Double scale) {
        public Nested {
            if (scale != null) {
                dev.servesim.api.ConfigValues.positive("scale", scale);
            }
        }
    }

    /** Modulo router: request id plus {@code offset}, modulo the replica count (offset -1 chooses no replica). */
    public record ModuloConfig(Integer offset) {
        public ModuloConfig {
            offset = dev.servesim.api.ConfigValues.orDefault(offset, 0);
        }
    }

    @Override
    public List<dev.servesim.api.router.RouterFactory<?>> routerFactories() {
        return List.of(new dev.servesim.api.router.RouterFactory<ModuloConfig>() {
            @Override
            public String name() {
                return "modulo";
            }

            @Override
            public String description() {
                return "request id modulo replicas";
            }

            @Override
            public Class<ModuloConfig> configType() {
                return ModuloConfig.class;
            }

            @Override
            public dev.servesim.api.router.Router create(ModuloConfig config,
                    dev.servesim.api.router.RouterContext context) {
                return (request, replicas) -> config.offset() < 0 ? replicas.size()
                        : (int) ((request.id() + config.offset()) % replicas.size());
            }
        });
    }

    @Override
    public String name() {
        return "testing-run";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new ServingEngineFactory<SerialConfig>() {
            @Override
            public String name() {
                return "serial";
            }

            @Override
            public String description() {
                return "one request at a time";
            }

            @Override
            public Class<SerialConfig> configType() {
                return SerialConfig.class;
            }

            @Override
            public ServingEngine create(SerialConfig config, EngineContext context) {
                return new SerialEngine(config, context);
            }
        });
    }

    @Override
    public List<WorkloadSourceFactory<?>> workloadSourceFactories() {
        return List.of(new WorkloadSourceFactory<ScriptedConfig>() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public String description() {
                return "requests at given times";
            }

            @Override
            public Class<ScriptedConfig> configType() {
                return ScriptedConfig.class;
            }

            @Override
            public WorkloadSource create(ScriptedConfig config, WorkloadContext context) {
                return () -> {
                    if (config.failAt() != null) {
                        if (config.failure().equals("start")) {
                            throw dev.servesim.api.ServesimException.config("arrivals", "refused at the start");
                        }
                        context.scheduler().scheduleAt(config.failAt(), () -> {
                            switch (config.failure()) {
                                case "memory" -> throw new OutOfMemoryError("Java heap space");
                                case "bug" -> throw new IllegalStateException("scripted bug");
                                default -> throw dev.servesim.api.ServesimException.config("arrivals",
                                        "scripted failure at " + config.failAt() + " s");
                            }
                        });
                    }
                    for (int i = 0; i < config.arrivals().size(); i++) {
                        long id = i;
                        double at = config.arrivals().get(i);
                        context.scheduler().scheduleAt(at, () -> context.submit(Request.single(id, at,
                                PromptContent.single(id, config.promptTokens()), config.outputTokens())));
                    }
                };
            }
        }, new WorkloadSourceFactory<RandomConfig>() {
            @Override
            public String name() {
                return "random";
            }

            @Override
            public String description() {
                return "random arrivals";
            }

            @Override
            public Class<RandomConfig> configType() {
                return RandomConfig.class;
            }

            @Override
            public WorkloadSource create(RandomConfig config, WorkloadContext context) {
                var random = context.random().stream("arrivals");
                return () -> {
                    double at = 0;
                    for (int i = 0; i < config.count(); i++) {
                        long id = i;
                        at += random.nextExponential();
                        double arrival = at;
                        int output = 1 + random.nextInt(5);
                        context.scheduler().scheduleAt(arrival, () -> context.submit(
                                Request.single(id, arrival, PromptContent.single(id, 10), output)));
                    }
                };
            }
        });
    }

    /**
     * One request at a time, FIFO. It takes part in disaggregated deployments without modelling KV memory: nothing
     * crosses the transfer link and a decode replica computes the prompt again.
     */
    static final class SerialEngine implements ServingEngine, dev.servesim.api.engine.KvTransferSupport {
        private final SerialConfig config;
        private final EngineContext context;
        private final java.util.ArrayDeque<Request> waiting = new java.util.ArrayDeque<>();
        private boolean busy;

        SerialEngine(SerialConfig config, EngineContext context) {
            this.config = config;
            this.context = context;
        }

        @Override
        public void submit(Request request) {
            if (request.promptTokens() > 1000) {
                context.requests().onRejected(request, context.scheduler().now(),
                        "prompt too long: request " + request.id() + ", " + request.promptTokens() + " tokens");
                return;
            }
            context.requests().onQueued(request, context.scheduler().now());
            waiting.add(request);
            startNext();
        }

        private void startNext() {
            if (busy || waiting.isEmpty()) {
                return;
            }
            busy = true;
            Request request = waiting.poll();
            context.requests().onScheduled(request, context.scheduler().now(), 0, "NONE");
            context.scheduler().schedule(config.ttft(), () -> token(request, 1));
        }

        private void token(Request request, int n) {
            double now = context.scheduler().now();
            context.requests().onTokens(request, now, 1);
            if (n == request.maxOutputTokens()) {
                context.requests().onFinished(request, now);
                busy = false;
                startNext();
            } else {
                context.scheduler().schedule(config.itl(), () -> token(request, n + 1));
            }
        }

        @Override
        public long kvBytesPerToken() {
            return 0;
        }

        // also overrides ServingEngine's deprecated method of the same signature, kept for API 0.2 engines
        @SuppressWarnings("deprecation")
        @Override
        public void submitWithRemoteKv(Request request, int remoteTokens) {
            submit(request);
        }

        @Override
        public EngineLoad load() {
            return new EngineLoad(busy ? 1 : 0, waiting.size(), 0, 0);
        }

        @Override
        public EngineInfo info() {
            if (config.gpus() != null) {
                return new EngineInfo(1000, 16, 1000, Map.of(), new dev.servesim.api.engine.GpuMemory(
                        config.gpu() == null ? "" : config.gpu(), config.gpus(), 80, 72, 15, 2, 55));
            }
            return new EngineInfo(0, 0, 1000, Map.of());
        }

        /** {@code real_clients: 1} when the run tells it its clients are real (servesim serve). */
        @Override
        public Map<String, Long> counters() {
            return context.realClients() ? Map.of("real_clients", 1L) : Map.of();
        }
    }
}
