package dev.servesim.api;

/**
 * Version of the service-provider API. A plugin built against another major version is refused with a clear message;
 * a newer minor version of the runner accepts plugins of older minors of the same major.
 *
 * @param major incompatible changes bump it
 * @param minor compatible additions bump it
 */
public record ApiVersion(int major, int minor) {

    /** Major version of this API; a compile-time constant so that plugins carry the value they were built with. */
    public static final int MAJOR = 0;
    /** Minor version of this API; a compile-time constant. */
    public static final int MINOR = 6;
    /** The version of the API on the module path. */
    public static final ApiVersion CURRENT = new ApiVersion(MAJOR, MINOR);

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("version numbers must be non-negative: " + major + "." + minor);
        }
    }

    /** True if a plugin compiled against {@code pluginVersion} can run on this API version. */
    public boolean accepts(ApiVersion pluginVersion) {
        return pluginVersion.major == major && pluginVersion.minor <= minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
