/** The {@code {{name}}} servesim plugin: {{label}} {@code {{name}}}. */
module {{package}} {
    requires dev.servesim.api;

    // the runner binds the configuration record with Jackson, so its package must be exported (servesim plugins
    // reports it when it is not); nothing else is
    exports {{package}}.config;

    provides dev.servesim.api.ServesimPlugin with {{package}}.{{prefix}}Plugin;
}
