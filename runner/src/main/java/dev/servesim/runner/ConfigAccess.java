package dev.servesim.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.ExtensionFactory;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the runner can bind a factory's configuration record. Jackson constructs the record and reads its accessors
 * without overriding access checks (see {@code ConfigMappers}), and the runner calls its constructor for defaults and
 * the schema, so the record - and the records and enums of the plugin that its components use - must be public in a
 * package their module exports (or opens) to both. A plugin that gets this wrong is refused when it is loaded, with the
 * line to add, instead of failing when a configuration selects it.
 */
final class ConfigAccess {

    private static final List<Module> BINDERS = List.of(ObjectMapper.class.getModule(),
            ConfigAccess.class.getModule());

    private ConfigAccess() {}

    /** Why {@code factory}'s configuration cannot be bound, or empty if it can. */
    static Optional<String> problem(ExtensionKind kind, ExtensionFactory<?> factory) {
        String what = kind.label() + " '" + factory.name() + "'";
        try {
            return problem(what, factory.configType());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(what + ": its configuration record cannot be inspected: " + e);
        }
    }

    private static Optional<String> problem(String what, Class<? extends Record> type) {
        if (type == null) {
            return Optional.of(what + ": configType() is null");
        }
        Set<Class<?>> bound = new LinkedHashSet<>();
        collect(type, type.getModule(), bound);
        for (Class<?> target : bound) {
            String role = target == type ? "its configuration record " + target.getSimpleName()
                    : target.getSimpleName() + " (used by its configuration record " + type.getSimpleName() + ")";
            Module module = target.getModule();
            String pkg = target.getPackageName();
            for (Module binder : BINDERS) {
                if (!module.isExported(pkg, binder)) {
                    return Optional.of(what + ": module " + module.getName() + " does not export package " + pkg
                            + " of " + role + ", so the runner cannot bind its configuration; add `exports " + pkg
                            + ";` to its module-info.java");
                }
            }
            // a public nested type is public to reflection whatever its enclosing class is
            if (!Modifier.isPublic(target.getModifiers())) {
                return Optional.of(what + ": " + target.getName() + " is not public, so the runner cannot bind "
                        + role + "; make it public");
            }
        }
        return Optional.empty();
    }

    /** {@code type} and, through its components, every record and enum of {@code module} that binding reaches. */
    private static void collect(Type type, Module module, Set<Class<?>> found) {
        if (type instanceof Class<?> plain) {
            if (plain.isArray()) {
                collect(plain.getComponentType(), module, found);
            } else if (plain.getModule() == module && (plain.isRecord() || plain.isEnum()) && found.add(plain)
                    && plain.isRecord()) {
                for (RecordComponent component : plain.getRecordComponents()) {
                    collect(component.getGenericType(), module, found);
                }
            }
        } else if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, module, found);
            }
        } else if (type instanceof GenericArrayType array) {
            collect(array.getGenericComponentType(), module, found);
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                collect(bound, module, found);
            }
        }
    }
}
