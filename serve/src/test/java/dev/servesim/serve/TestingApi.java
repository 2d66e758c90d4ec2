package dev.servesim.serve;

import dev.servesim.runner.LiveArrivals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTP server alone on a free loopback port, in front of arrivals that no run takes: requests are parsed,
 * refused or handed in, and generations then wait (until their timeout). For the server's own behaviour: routes,
 * refusals, limits, abusive clients.
 */
final class TestingApi implements AutoCloseable {

    static final ServedModel MODEL = new ServedModel("tiny", 4096, 16, 1_700_000_000L);
    /** What a legitimate request is allowed while others misbehave: the deadline is the assertion. */
    static final Duration DEADLINE = Duration.ofSeconds(1);

    final ApiServer server;
    final ApiHandler handler;
    final LiveArrivals arrivals;
    final URI base;

    private TestingApi(ApiServer server, ApiHandler handler, LiveArrivals arrivals) {
        this.server = server;
        this.handler = handler;
        this.arrivals = arrivals;
        this.base = server.baseUrl();
    }

    /** A server with {@code options} (host and port: 127.0.0.1:0) and an idle timeout of {@code idleSeconds}. */
    /**
     * Waits (at most 5 s) until every request's place is given back, which happens once Jetty has completed its
     * answer: a client may read the answer first.
     */
    int awaitNoneInFlight() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handler.inFlight() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return handler.inFlight();
    }

    static TestingApi start(ServeOptions options, int idleSeconds) {
        ApiServer server = ApiServer.bind(options, idleSeconds);
        LiveArrivals arrivals = new LiveArrivals(1);
        ApiHandler handler = new ApiHandler(MODEL, new ApproximateTokenizer(), arrivals, options, server.threads(),
                server.scheduler(), new MetricsProxy(Path.of("no-such-output"), false));
        server.start(handler);
        return new TestingApi(server, handler, arrivals);
    }

    /** Default limits but at most {@code maxConcurrent} requests and {@code timeoutSeconds} each. */
    static TestingApi start(int maxConcurrent, long timeoutSeconds, int idleSeconds) {
        return start(new ServeOptions("127.0.0.1", 0, 1, null, maxConcurrent, 64 * 1024, timeoutSeconds, 0),
                idleSeconds);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** {@code GET path} on a new connection, answered 200 within {@link #DEADLINE}. */
    void answersInTime(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE)
                .build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(DEADLINE)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (HttpTimeoutException e) {
            throw new AssertionError(path + " was not answered within " + DEADLINE, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
