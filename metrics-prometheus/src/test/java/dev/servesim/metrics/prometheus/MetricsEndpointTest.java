package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import dev.servesim.testing.TestingSockets;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {

    private static final byte[] LINE = "# padding to make the response larger than any socket buffer\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final String UP = "up 1\n";
    // the idle timeout of the endpoints of the tests that wait for it: shorter than the real one, the same mechanism
    private static final long TEST_IDLE_MILLIS = 1_000;
    // how long a test waits for the server to close a connection: the idle timeout plus slack
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(MetricsEndpoint.IDLE_TIMEOUT_SECONDS + 10L);

    @Test
    void answersMetricsAndHealthOnlyToGetAndHead() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0,
                out -> out.write("up 1\n".getBytes(StandardCharsets.UTF_8)), () -> { })) {
            String metrics = endpoint.url();
            String root = metrics.substring(0, metrics.length() - "/metrics".length());

            HttpResponse<String> scrape = TestingSinks.send("GET", metrics);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).isEqualTo("up 1\n");
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
            HttpResponse<String> head = TestingSinks.send("HEAD", metrics);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(TestingSinks.send("GET", root + "/health").body()).isEqualTo("ok\n");

            HttpResponse<String> post = TestingSinks.send("POST", metrics);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(TestingSinks.send("DELETE", root + "/health").statusCode()).isEqualTo(405);
            for (String path : new String[] {"/", "/metrics/x", "/metricsx", "/api/v1/query", "/health/"}) {
                assertThat(TestingSinks.send("GET", root + path).statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void bindsLoopbackByDefault(@TempDir Path folder) throws Exception {
        PrometheusSink sink = (PrometheusSink) TestingSinks.create(folder, null);
        try {
            assertThat(InetAddress.getByName(URI.create(sink.url()).getHost()).isLoopbackAddress()).isTrue();
        } finally {
            sink.close();
        }
    }

    @Test
    void aTakenPortIsAConfigurationErrorBeforeAnythingIsWritten(@TempDir Path folder) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> TestingSinks.create(new PrometheusSinkConfig("127.0.0.1", port, null, null),
                    new TestingSinks.Context("r", folder, () -> 0, TestingSinks.RESOLVED_YAML)))
                    .isInstanceOf(ServesimException.class)
                    .hasMessageStartingWith("sinks.prometheus.port: cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageEndingWith("port: 0 picks a free one)")
                    .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        }
        assertThat(folder.resolve(PrometheusSink.ADDRESS_FILE)).doesNotExist();
    }

    @Test
    void aFailingRenderIsAServerErrorAndTheEndpointCarriesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, out -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("broken collector");
            }
            out.write("up 1\n".getBytes(StandardCharsets.UTF_8));
        }, () -> { })) {
            HttpResponse<String> failed = TestingSinks.send("GET", endpoint.url());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("broken collector");
            assertThat(TestingSinks.send("GET", endpoint.url()).statusCode()).isEqualTo(200);
        }
    }

    /**
     * A client that resets the connection after the first bytes of a response much larger than the socket buffers:
     * the server's write fails, is counted, and the next scrape is served.
     */
    @Test
    void aClientThatGoesAwayMidResponseOnlyFailsItsOwnScrape() throws Exception {
        AtomicInteger failedResponses = new AtomicInteger();
        MetricsEndpoint.Exposition huge = out -> {
            for (int i = 0; i < 16 * 1024 * 1024 / LINE.length; i++) {
                out.write(LINE);
            }
        };
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, huge, failedResponses::incrementAndGet)) {
            URI url = URI.create(endpoint.url());
            try (Socket client = new Socket(url.getHost(), url.getPort())) {
                client.setReceiveBufferSize(4096);
                OutputStream request = client.getOutputStream();
                request.write(("GET /metrics HTTP/1.1\r\nHost: " + url.getHost() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                request.flush();
                InputStream response = client.getInputStream();
                assertThat(new String(response.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                // reset instead of a graceful close: the server's pending writes fail at once
                client.setSoLinger(true, 0);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (failedResponses.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(failedResponses.get()).isEqualTo(1);
            assertThat(TestingSinks.send("GET", endpoint.url().replace("/metrics", "/health")).body())
                    .isEqualTo("ok\n");
        }
    }

    /**
     * Clients that send a request line and a header but never the blank line ending the headers: while more of them
     * are connected than the endpoint has threads, a scrape is still answered, and the server closes each of them
     * once its idle timeout runs out.
     */
    @Test
    void clientsThatNeverFinishTheirHeadersDoNotBlockScrapes() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0,
                out -> out.write("up 1\n".getBytes(StandardCharsets.UTF_8)), () -> { }, TEST_IDLE_MILLIS)) {
            URI url = URI.create(endpoint.url());
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < MetricsEndpoint.MAX_THREADS + 2; i++) {
                    Socket client = new Socket(url.getHost(), url.getPort());
                    slow.add(client);
                    client.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + url.getHost() + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                }

                HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(MetricsEndpoint.IDLE_TIMEOUT_SECONDS * 6L)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).isEqualTo("up 1\n");

                // each slow client gets no answer, only its connection closed (bounded wait: 6x the idle timeout)
                for (Socket client : slow) {
                    client.setSoTimeout(MetricsEndpoint.IDLE_TIMEOUT_SECONDS * 6_000);
                    int first;
                    try {
                        first = client.getInputStream().read();
                    } catch (SocketException reset) {
                        first = -1;
                    }
                    assertThat(first).isEqualTo(-1);
                }
            } finally {
                for (Socket client : slow) {
                    client.close();
                }
            }
            assertThat(TestingSinks.send("GET", endpoint.url()).statusCode()).isEqualTo(200);
        }
    }

    /**
     * Many more clients than threads stop in the middle of their headers (after a header line, after the request
     * line, after part of the method): every scrape meanwhile is answered within the deadline.
     */
    @Test
    void slowHeaderClientsDoNotDelayScrapes() throws Exception {
        try (MetricsEndpoint endpoint = upEndpoint(); TestingSockets clients = connections(endpoint)) {
            URI url = URI.create(endpoint.url());
            TestingConnections.scrapesAreAnsweredInTime(url, 1, UP);
            String[] partial = {"GET /metrics HTTP/1.1\r\nHost: x\r\n", "GET /metrics HTTP/1.1\r\n", "GE",
                    "GET /metrics HTTP/1.1\r\nHost: x\r\nUser-Agent: slo"};
            for (int i = 0; i < MetricsEndpoint.MAX_THREADS * 4; i++) {
                clients.open(partial[i % partial.length]);
            }

            TestingConnections.scrapesAreAnsweredInTime(url, 10, UP);
        }
    }

    /**
     * Clients announce a body of a million bytes on GET and POST, send a few bytes of it and stop. Bodies are never
     * read: each is answered at once (200 or 405) and its connection closed, and scrapes go on meanwhile.
     */
    @Test
    void slowBodyClientsAreAnsweredWithoutReadingTheBodyAndDoNotDelayScrapes() throws Exception {
        try (MetricsEndpoint endpoint = upEndpoint(); TestingSockets clients = connections(endpoint)) {
            URI url = URI.create(endpoint.url());
            TestingConnections.scrapesAreAnsweredInTime(url, 1, UP);
            List<Socket> gets = new ArrayList<>();
            List<Socket> posts = new ArrayList<>();
            for (int i = 0; i < MetricsEndpoint.MAX_THREADS * 2; i++) {
                gets.add(clients.open(slowBody("GET")));
                posts.add(clients.open(slowBody("POST")));
            }

            TestingConnections.scrapesAreAnsweredInTime(url, 10, UP);

            for (Socket client : gets) {
                assertThat(TestingSockets.readUntilClosed(client, CLOSE_BOUND)).startsWith("HTTP/1.1 200 ")
                        .contains("Connection: close").endsWith("\r\n\r\nup 1\n");
            }
            for (Socket client : posts) {
                assertThat(TestingSockets.readUntilClosed(client, CLOSE_BOUND)).startsWith("HTTP/1.1 405 ")
                        .contains("Allow: GET, HEAD");
            }
            TestingConnections.scrapesAreAnsweredInTime(url, 1, UP);
        }
    }

    /**
     * A request with a 64 KiB header is refused with 431 (or, if the server closed before the client could read
     * the answer, only closed), never served; one with a 4 KiB header is served; and scrapes go on meanwhile.
     */
    @Test
    void anOversizedHeaderIsRefusedWithoutAffectingOthers() throws Exception {
        try (MetricsEndpoint endpoint = upEndpoint(); TestingSockets clients = connections(endpoint)) {
            URI url = URI.create(endpoint.url());
            List<Socket> oversized = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                oversized.add(clients.openWriting(withHeaderValue(64 * 1024)));
            }
            TestingConnections.scrapesAreAnsweredInTime(url, 5, UP);
            for (Socket client : oversized) {
                String answer = TestingSockets.readUntilClosed(client, CLOSE_BOUND);
                assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 431 ")).as(answer).isTrue();
            }

            Socket fits = clients.open(withHeaderValue(MetricsEndpoint.MAX_REQUEST_HEADER_BYTES / 2));
            fits.shutdownOutput();
            assertThat(TestingSockets.readUntilClosed(fits, CLOSE_BOUND)).startsWith("HTTP/1.1 200 ")
                    .endsWith("\r\n\r\nup 1\n");
        }
    }

    /**
     * 200 raw clients connected at once, mixing every kind of misbehaviour (stalled headers, stalled bodies,
     * oversized headers, nothing sent at all): every scrape meanwhile is answered within the deadline.
     */
    @Test
    void twoHundredAbusiveClientsAtOnceDoNotDelayScrapes() throws Exception {
        try (MetricsEndpoint endpoint = upEndpoint(); TestingSockets clients = connections(endpoint)) {
            URI url = URI.create(endpoint.url());
            TestingConnections.scrapesAreAnsweredInTime(url, 1, UP);
            for (int i = 0; i < 200; i++) {
                switch (i % 5) {
                    case 0 -> clients.open("GET /metrics HTTP/1.1\r\nHost: x\r\n");
                    case 1 -> clients.open(slowBody("GET"));
                    case 2 -> clients.open(slowBody("POST"));
                    case 3 -> clients.openWriting(withHeaderValue(64 * 1024));
                    default -> clients.open("");
                }
            }
            assertThat(clients.size()).isEqualTo(200);

            TestingConnections.scrapesAreAnsweredInTime(url, 10, UP);
        }
    }

    /**
     * Connections that stall, with nothing sent, in the headers or in a body, are closed by the server once the idle
     * timeout runs out (bounded wait: the idle timeout plus 10 s); a stalled client gets no answer.
     */
    @Test
    void stalledConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0,
                out -> out.write(UP.getBytes(StandardCharsets.UTF_8)), () -> { }, TEST_IDLE_MILLIS);
                TestingSockets clients = connections(endpoint)) {
            Socket silent = clients.open("");
            Socket stalledHeaders = clients.open("GET /metrics HTTP/1.1\r\nHost: x\r\n");
            Socket stalledBody = clients.open("PUT /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");

            assertThat(TestingSockets.readUntilClosed(silent, CLOSE_BOUND)).isEmpty();
            assertThat(TestingSockets.readUntilClosed(stalledHeaders, CLOSE_BOUND)).isEmpty();
            // answered at once without its body, then closed
            assertThat(TestingSockets.readUntilClosed(stalledBody, CLOSE_BOUND)).startsWith("HTTP/1.1 405 ");
        }
    }

    private static MetricsEndpoint upEndpoint() {
        return MetricsEndpoint.start("127.0.0.1", 0, out -> out.write(UP.getBytes(StandardCharsets.UTF_8)), () -> { });
    }

    private static TestingSockets connections(MetricsEndpoint endpoint) {
        return new TestingSockets(URI.create(endpoint.url()));
    }

    private static String slowBody(String method) {
        return method + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nfirst bytes";
    }

    private static String withHeaderValue(int bytes) {
        return "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(bytes) + "\r\n\r\n";
    }
}
