package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw loopback sockets that misbehave toward an endpoint, held open together and closed together, and legitimate
 * scrapes that must be answered meanwhile.
 */
final class TestingConnections implements AutoCloseable {

    /** What a legitimate scrape is allowed: the deadline is the assertion. */
    static final Duration SCRAPE_DEADLINE = Duration.ofSeconds(1);

    private final URI url;
    private final List<Socket> sockets = new ArrayList<>();

    TestingConnections(URI url) {
        this.url = url;
    }

    /** A new connection that has sent {@code text} (ISO-8859-1) and stays open. */
    Socket open(String text) throws IOException {
        Socket socket = new Socket(url.getHost(), url.getPort());
        sockets.add(socket);
        if (!text.isEmpty()) {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }
        return socket;
    }

    /**
     * A new connection that has sent {@code text}, or as much of it as the server took before closing the
     * connection (a server may stop reading an oversized request and close).
     */
    Socket openWriting(String text) throws IOException {
        Socket socket = open("");
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (SocketException closedByServer) {
            // the server answered or closed before reading it all; what it sent is still read by the test
        }
        return socket;
    }

    List<Socket> sockets() {
        return List.copyOf(sockets);
    }

    int size() {
        return sockets.size();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        sockets.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Everything the server sends until it closes the connection (or resets it), read with {@code timeout} as the
     * bound on each read: a server that keeps the connection open longer fails the test with a
     * {@link java.net.SocketTimeoutException}.
     */
    static String readUntilClosed(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset also ends the connection; keep what arrived before it
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@code count} scrapes, each on a new connection, each answered 200 within {@link #SCRAPE_DEADLINE}. */
    static void scrapesAreAnsweredInTime(URI url, int count, String body) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(SCRAPE_DEADLINE).build();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(SCRAPE_DEADLINE).build();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw new AssertionError("scrape " + (i + 1) + " of " + count + " was not answered within "
                        + SCRAPE_DEADLINE, e);
            }
            assertThat(response.statusCode()).as("scrape %d of %d", i + 1, count).isEqualTo(200);
            assertThat(response.body()).as("scrape %d of %d", i + 1, count).isEqualTo(body);
        }
    }
}
