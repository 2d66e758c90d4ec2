package dev.servesim.testing;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finds plugins the way the runner does: through {@link ServiceLoader}, never by class name. */
public final class TestingPlugins {

    private TestingPlugins() {}

    /** The plugin called {@code name} on the test's module path or class path. */
    public static ServesimPlugin plugin(String name) {
        List<ServesimPlugin> found = all().stream()
                .filter(plugin -> plugin.name().equals(name))
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one plugin named " + name + " through ServiceLoader, found "
                    + found.size());
        }
        return found.get(0);
    }

    /** The factory called {@code name} in one of a plugin's factory lists. */
    public static <F extends ExtensionFactory<?>> F factory(
            ServesimPlugin plugin, Function<ServesimPlugin, List<F>> kind, String name) {
        return kind.apply(plugin).stream()
                .filter(factory -> factory.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("plugin " + plugin.name() + " has no factory " + name));
    }

    /**
     * The cache strategy factory called {@code name} among every plugin on the test's module path or class path, e.g.
     * {@code block-hash} from {@code servesim-cache-strategies}.
     */
    public static KvCacheStrategyFactory<?> cacheStrategy(String name) {
        requireNonNull(name, "name is null");
        return all().stream()
                .flatMap(plugin -> plugin.kvCacheStrategyFactories().stream())
                .filter(factory -> factory.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no cache strategy named " + name + " through "
                        + "ServiceLoader: put servesim-cache-strategies (or the plugin that has it) on the test path"));
    }

    /** Creates a strategy from its factory's default configuration, resolved as the runner resolves it. */
    public static <C extends Record> KvCacheStrategy createWithDefaults(KvCacheStrategyFactory<C> factory,
            CacheContext context) {
        return factory.create(factory.resolve(defaultConfig(factory.configType())), context);
    }

    /** Every plugin found through {@link ServiceLoader}, in the order it finds them. */
    public static List<ServesimPlugin> all() {
        return ServiceLoader.load(ServesimPlugin.class, TestingPlugins.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    /**
     * The default configuration of a factory: its record built with every component absent ({@code null} for
     * objects, zero for primitives), as the runner does for an empty configuration section.
     */
    public static <C extends Record> C defaultConfig(Class<C> type) {
        try {
            var components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = defaultValue(types[i]);
            }
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            // the runner binds the record the same way, so a plugin loaded in a run would be refused
            throw new IllegalStateException("cannot build " + type.getName() + ": add `exports "
                    + type.getPackageName() + ";` to the plugin's module-info.java (and make the record public)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0.0f;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
