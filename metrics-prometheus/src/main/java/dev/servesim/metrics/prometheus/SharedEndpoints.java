package dev.servesim.metrics.prometheus;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints the sinks of one loaded plugin serve, shared between runs: the runs of a {@code compare} (or any
 * runs in one process) whose sinks ask for the same address and port are served by one endpoint instead of each
 * binding its own, which would fail with "address in use". Reference-counted: the first sink to ask for an address
 * binds it, later ones attach their families to it while it is open, each detaches when it closes, and the last one
 * to detach closes the server, which frees the port.
 *
 * <p>Port 0 always binds a new endpoint on a free port: a run that asked for "any port" gets one of its own (as
 * {@code servesim serve} relies on, proxying its run's families only). A later sink that asks for the port such an
 * endpoint got explicitly attaches to it like to any other.
 *
 * <p>The plugin holds one instance, so it lives as long as the plugin registry that loaded it (one per command), not
 * in a static field. Thread-safe: sinks of parallel runs attach and detach from their own threads; binding and
 * stopping a server happen under the lock, so a sink never attaches to an endpoint that is stopping.
 */
final class SharedEndpoints {

    private final Object lock = new Object();
    // guarded by lock; looked up by address, never iterated
    private final Map<Address, Endpoint> open = new HashMap<>();

    /** A bound address: the resolved host address and the port actually bound. */
    private record Address(String hostAddress, int port) {}

    /** An open endpoint and the runs attached to it, in the order they attached. */
    private static final class Endpoint {
        final Address address;
        final MetricsEndpoint server;
        final SharedExposition exposition;
        // guarded by SharedEndpoints.lock
        final List<ServedRun> runs = new ArrayList<>();
        // guarded by SharedEndpoints.lock: set once two runs were attached at the same time, never cleared, so that a
        // run's series keep their labels while other runs come and go
        boolean shared;

        Endpoint(Address address, MetricsEndpoint server, SharedExposition exposition) {
            this.address = address;
            this.server = server;
            this.exposition = exposition;
        }
    }

    /**
     * Serves {@code run} at {@code host:port}: on the endpoint already open there, or on a new one.
     *
     * @throws ServesimException CONFIG if the host does not resolve, if the address cannot be bound, or if a run of
     *     the same name is attached to the endpoint (its series would be mixed with this run's)
     */
    Attachment attach(String host, int port, ServedRun run) {
        requireNonNull(host, "host is null");
        requireNonNull(run, "run is null");
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
            throw ServesimException.config("sinks.prometheus.host", "cannot resolve '" + host + "'");
        }
        String hostAddress = resolved.getAddress().getHostAddress();
        synchronized (lock) {
            Endpoint endpoint = port == 0 ? null : open.get(new Address(hostAddress, port));
            if (endpoint == null) {
                SharedExposition exposition = new SharedExposition();
                MetricsEndpoint server = MetricsEndpoint.start(host, port, exposition, exposition::failedResponse);
                endpoint = new Endpoint(new Address(hostAddress, server.port()), server, exposition);
                open.put(endpoint.address, endpoint);
            } else {
                for (ServedRun other : endpoint.runs) {
                    if (other.name().equals(run.name())) {
                        throw ServesimException.config("sinks.prometheus", "run '" + run.name() + "' is already "
                                + "served at " + MetricsEndpoint.url(host, endpoint.address.port()) + " by another run "
                                + "in this process; runs that share an endpoint need names of their own (name:), or "
                                + "another port");
                    }
                }
            }
            endpoint.runs.add(run);
            if (endpoint.shared) {
                run.onShared().run();
            } else if (endpoint.runs.size() > 1) {
                endpoint.shared = true;
                for (ServedRun attached : endpoint.runs) {
                    attached.onShared().run();
                }
            }
            endpoint.exposition.runs(endpoint.runs);
            return new Attachment(endpoint, run, MetricsEndpoint.url(host, endpoint.address.port()));
        }
    }

    private void detach(Endpoint endpoint, ServedRun run) {
        synchronized (lock) {
            endpoint.runs.removeIf(attached -> attached == run);
            endpoint.exposition.runs(endpoint.runs);
            if (endpoint.runs.isEmpty()) {
                open.remove(endpoint.address, endpoint);
                endpoint.server.close();
            }
        }
    }

    /** A run's place on an endpoint, until {@link #close()}. */
    final class Attachment implements AutoCloseable {

        private final Endpoint endpoint;
        private final ServedRun run;
        private final String url;
        // guarded by SharedEndpoints.lock
        private boolean closed;

        private Attachment(Endpoint endpoint, ServedRun run, String url) {
            this.endpoint = endpoint;
            this.run = run;
            this.url = url;
        }

        /** The URL the run's families are served at, with the host as the sink's configuration names it. */
        String url() {
            return url;
        }

        /** Stops serving the run's families; the last run to detach closes the endpoint. Idempotent. */
        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                detach(endpoint, run);
            }
        }
    }
}
