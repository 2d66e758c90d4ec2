package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.config.ConfigSource;
import dev.servesim.runner.sinks.BuiltinSinksPlugin;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    /** A nested record a key takes as a name (through {@code valueOf}) or as a mapping, like the vllm GPU. */
    public record Device(String name, Double memoryGib) {
        public static Device valueOf(String name) {
            return new Device(name, null);
        }
    }

    /** A nested record with a {@code valueOf} Jackson does not use for strings. */
    public record Shape(Integer width) {
        public static Shape valueOf(int width) {
            return new Shape(width);
        }

        public Shape valueOf(String width) {
            return new Shape(Integer.valueOf(width));
        }
    }

    /** A nested record a key takes as a number (through {@code valueOf(double)}) or as a mapping, like a distribution. */
    public record Amount(String type, Double value) {
        public static Amount valueOf(double value) {
            return new Amount("constant", value);
        }
    }

    /** Settings of the testing cache strategy. */
    public record DeviceSettings(Device device, Shape shape, List<Device> spares) {}

    private static final ServesimPlugin DEVICE_PLUGIN = new ServesimPlugin() {
        @Override
        public String name() {
            return "testing-device";
        }

        @Override
        public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
            return List.of(new KvCacheStrategyFactory<DeviceSettings>() {
                @Override
                public String name() {
                    return "device";
                }

                @Override
                public String description() {
                    return "a cache with a device";
                }

                @Override
                public Class<DeviceSettings> configType() {
                    return DeviceSettings.class;
                }

                @Override
                public KvCacheStrategy create(DeviceSettings config, CacheContext context) {
                    return new TestingKvCacheStrategy(context.blocks());
                }
            });
        }
    };

    private static PluginRegistry registry() {
        return PluginRegistry.of(List.of(new TestingRunPlugin(), new BuiltinSinksPlugin(), DEVICE_PLUGIN));
    }

    @Test
    void aRecordWithAStaticTextFactoryTakesAStringOrAMapping() {
        ObjectNode schema = ConfigSchema.tree(registry());

        JsonNode settings = schema.at("/properties/cache/allOf/0/then/properties");
        JsonNode device = settings.get("device");
        assertThat(device.at("/anyOf/0/type").asText()).isEqualTo("string");
        assertThat(device.at("/anyOf/1/$ref").asText()).isEqualTo("#/$defs/Device");
        assertThat(device.get("description").asText())
                .isEqualTo("a name or file path (string), or a mapping with the keys of Device");
        JsonNode definition = schema.at("/$defs/Device");
        assertThat(definition.get("type").asText()).isEqualTo("object");
        assertThat(definition.get("additionalProperties").asBoolean()).isFalse();
        assertThat(definition.at("/properties/memory_gib/type").asText()).isEqualTo("number");
        assertThat(definition.at("/properties/name/type").asText()).isEqualTo("string");
        // inside lists too
        assertThat(settings.at("/spares/items/anyOf/0/type").asText()).isEqualTo("string");
    }

    @Test
    void aRecordWithoutAStaticValueOfStringIsAMappingOnly() {
        ObjectNode schema = ConfigSchema.tree(registry());

        JsonNode shape = schema.at("/properties/cache/allOf/0/then/properties/shape");
        assertThat(shape.get("$ref").asText()).isEqualTo("#/$defs/Shape");
        assertThat(shape.has("anyOf")).isFalse();
        assertThat(ConfigSchema.hasTextFactory(Device.class)).isTrue();
        assertThat(ConfigSchema.hasTextFactory(Shape.class)).isFalse();
        assertThat(ConfigSchema.hasTextFactory(DeviceSettings.class)).isFalse();
    }

    @Test
    void aRecordWithAStaticValueOfDoubleTakesANumber() {
        assertThat(ConfigSchema.hasNumberFactory(Amount.class)).isTrue();
        assertThat(ConfigSchema.hasNumberFactory(Shape.class)).isFalse();
        assertThat(ConfigSchema.hasNumberFactory(Device.class)).isFalse();
    }

    @Test
    void theSchemaMatchesWhatTheLoaderBinds() {
        String yaml = """
                framework: {name: serial}
                cache:
                  strategy: device
                  device: %s
                  spares: [spare-a, {name: spare-b, memory_gib: 8}]
                workload: {source: scripted, arrivals: [0.0]}
                """;

        RunConfiguration byName = new ConfigLoader(registry()).bind(
                ConfigSource.parse(yaml.formatted("gpu-7"), "test.yaml", false), "test");
        RunConfiguration byMapping = new ConfigLoader(registry()).bind(
                ConfigSource.parse(yaml.formatted("{name: gpu-8, memory_gib: 16}"), "test.yaml", false), "test");

        assertThat(byName.cache().config()).isEqualTo(new DeviceSettings(new Device("gpu-7", null), null,
                List.of(new Device("spare-a", null), new Device("spare-b", 8.0))));
        assertThat(((DeviceSettings) byMapping.cache().config()).device()).isEqualTo(new Device("gpu-8", 16.0));
    }

    @Test
    void costIsARunSettingWithItsPrice() {
        ObjectNode schema = ConfigSchema.tree(registry());

        assertThat(schema.at("/properties/cost/$ref").asText()).isEqualTo("#/$defs/CostSettings");
        assertThat(schema.at("/properties/cost/description").asText()).contains("GPU-hour");
        assertThat(schema.at("/$defs/CostSettings/properties/gpu_hour_usd/type").asText()).isEqualTo("number");
    }

    @Test
    void generatesJsonOfTheSameTree() throws Exception {
        String json = ConfigSchema.generate(registry());

        // numbers may come back as other node types, so compare the text
        assertThat(ConfigMappers.json().readTree(json).toString()).isEqualTo(ConfigSchema.tree(registry()).toString());
    }
}
