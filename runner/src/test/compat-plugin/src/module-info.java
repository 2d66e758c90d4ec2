/** A third-party plugin with one extension of each kind, compiled against servesim API 0.3 as of commit bc2712b. */
module org.example.compat {
    requires dev.servesim.api;

    exports org.example.compat.config;

    provides dev.servesim.api.ServesimPlugin with org.example.compat.CompatPlugin;
}
