/**
 * {@code servesim serve}: an OpenAI-compatible HTTP front end (Jetty) that hands its clients' requests to a live
 * simulated run ({@code dev.servesim.runner.LiveArrivals}) and answers as vLLM's server would.
 */
module dev.servesim.serve {
    // the session's API names configurations and results of the runner
    requires transitive dev.servesim.runner;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;
    // GET /metrics is proxied to the run's prometheus sink
    requires java.net.http;

    exports dev.servesim.serve;
}
