package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.testing.TestingSockets;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on purpose, over raw loopback sockets: stalled headers and bodies, oversized headers and
 * bodies, more connections than the limit. Each is bounded (refused, or closed by the idle timeout), and legitimate
 * requests meanwhile are answered within {@link TestingApi#DEADLINE}.
 */
class ServeAbuseTest {

    private static final int IDLE_SECONDS = 2;
    // how long a test waits for the server to close a connection: the idle timeout plus slack
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(IDLE_SECONDS + 10L);

    @Test
    void stalledHeadersAndBodiesHoldNoThreadAndAreClosedAfterTheIdleTimeout() throws Exception {
        try (TestingApi api = TestingApi.start(8, 60, IDLE_SECONDS);
                TestingSockets clients = new TestingSockets(api.base)) {
            List<Socket> headers = new ArrayList<>();
            List<Socket> bodies = new ArrayList<>();
            String[] partial = {"POST /v1/completions HTTP/1.1\r\nHost: x\r\n", "GET /health HTTP/1.1\r\n", "PO",
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Ty"};
            for (int i = 0; i < ApiServer.MAX_THREADS * 4; i++) {
                headers.add(clients.open(partial[i % partial.length]));
            }
            for (int i = 0; i < 6; i++) {
                bodies.add(clients.open("POST /tokenize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"prompt\": \"slow"));
            }

            for (int i = 0; i < 10; i++) {
                api.answersInTime("/health");
                api.answersInTime("/v1/models");
            }

            for (Socket client : headers) {
                // never answered, only closed
                assertThat(TestingSockets.readUntilClosed(client, CLOSE_BOUND)).isEmpty();
            }
            for (Socket client : bodies) {
                // answered 408 with the error JSON, then closed
                assertThat(TestingSockets.readUntilClosed(client, CLOSE_BOUND)).startsWith("HTTP/1.1 408 ")
                        .contains("Connection: close").endsWith("{\"error\":{\"message\":\"the request body did not "
                                + "arrive in time (nothing came for the idle timeout)\",\"type\":\"RequestTimeoutError\","
                                + "\"param\":null,\"code\":408}}");
            }
            // their places among the requests in flight are free again
            assertThat(api.awaitNoneInFlight()).as("requests in flight").isZero();
            assertThat(api.post("/tokenize", "{\"prompt\": \"after\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void oversizedHeadersAre431AndHugeBodiesAre413WithoutBeingRead() throws Exception {
        try (TestingApi api = TestingApi.start(8, 60, IDLE_SECONDS);
                TestingSockets clients = new TestingSockets(api.base)) {
            Socket headers = clients.open("");
            TestingSockets.write(headers, "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(64 * 1024)
                    + "\r\n\r\n");
            String refused = TestingSockets.readUntilClosed(headers, CLOSE_BOUND);
            assertThat(refused.isEmpty() || refused.startsWith("HTTP/1.1 431 ")).as(refused).isTrue();
            if (!refused.isEmpty()) {
                assertThat(refused).contains("\"type\":\"RequestHeaderFieldsTooLargeError\"");
            }

            // a gigabyte announced: refused before a byte of it is read
            Socket announced = clients.open("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824"
                    + "\r\n\r\n{\"prompt\": ");
            assertThat(TestingSockets.readUntilClosed(announced, CLOSE_BOUND)).startsWith("HTTP/1.1 413 ")
                    .contains("Connection: close").contains("\"code\":413");

            // chunks without end: refused once past the limit, the connection closed while the client still sends
            Socket endless = clients.open("POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n");
            byte[] chunk = ("2000\r\n" + "a".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            OutputStream out = endless.getOutputStream();
            int sent = 0;
            try {
                // bounded: the server reads 64 KiB at most; socket buffers take a few MiB more
                while (sent < 64 * 1024 * 1024) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (SocketException closed) {
                // the server stopped reading and closed
            }
            assertThat(sent).as("bytes written before the server closed").isLessThan(64 * 1024 * 1024);
            String answer = TestingSockets.readUntilClosed(endless, CLOSE_BOUND);
            assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 413 ")).as(answer).isTrue();

            api.answersInTime("/health");
            assertThat(api.awaitNoneInFlight()).as("requests in flight").isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOthersClose() throws Exception {
        ServeOptions options = new ServeOptions("127.0.0.1", 0, 1, null, 4, 64 * 1024, 60, 0);
        int limit = ApiServer.maxConnections(options);
        // an idle timeout far longer than the test: only closing connections frees places
        try (TestingApi api = TestingApi.start(options, 30); TestingSockets clients = new TestingSockets(api.base)) {
            for (int i = 0; i < limit; i++) {
                clients.open("");
            }
            AssertionError waited = null;
            try {
                api.answersInTime("/health");
            } catch (AssertionError e) {
                waited = e;
            }
            assertThat(waited).as("a connection beyond the limit of " + limit + " was served").isNotNull();

            clients.closeFirst(8);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(HttpRequest.newBuilder(api.base.resolve("/health")).timeout(Duration.ofSeconds(10))
                                .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }
        }
    }
}
