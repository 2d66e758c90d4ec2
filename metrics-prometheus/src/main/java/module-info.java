/** Metric sink plugin {@code prometheus}: Micrometer inside, Prometheus text exposition over HTTP. */
module dev.servesim.metrics.prometheus {
    requires dev.servesim.api;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.util;

    exports dev.servesim.metrics.prometheus.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.metrics.prometheus.PrometheusPlugin;
}
