package dev.servesim.testing;

import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimPlugin;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finds plugins the way the runner does: through {@link ServiceLoader}, never by class name. */
public final class TestingPlugins {

    private TestingPlugins() {}

    /** The plugin called {@code name} on the test's module path or class path. */
    public static ServesimPlugin plugin(String name) {
        List<ServesimPlugin> found = ServiceLoader.load(ServesimPlugin.class, TestingPlugins.class.getClassLoader())
                .stream()
                .map(ServiceLoader.Provider::get)
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
