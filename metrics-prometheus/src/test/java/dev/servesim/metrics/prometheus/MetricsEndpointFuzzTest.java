package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.testing.TestingSockets;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random requests over raw sockets, from a fixed seed: request lines, methods, paths, versions, headers, bodies,
 * stray bytes and truncations. The endpoint must never answer with a server error (its only documented 500 is a
 * failed render, which this exposition never has), must close every connection (the client half-closes after its
 * request, and the idle timeout bounds the rest), and must keep answering scrapes. The one other 5xx allowed is
 * Jetty's 505 (HTTP Version Not Supported) to a request line that does not end in {@code HTTP/1.0} or
 * {@code HTTP/1.1}, HTTP/0.9 requests without a version included.
 */
class MetricsEndpointFuzzTest {

    private static final long SEED = 14;
    private static final int CASES = 400;
    private static final String UP = "up 1\n";
    private static final String PIPELINED = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    // per read; the server closes a connection at the latest after its idle timeout
    private static final Duration CASE_BOUND = Duration.ofSeconds(MetricsEndpoint.IDLE_TIMEOUT_SECONDS + 10L);
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ");
    private static final Pattern BLANK_LINE = Pattern.compile("\r?\n\r?\n");

    // the odd choices of each part; usually(..) picks the usual one most of the time
    private static final List<String> METHODS = List.of("GET", "HEAD", "HEAD", "POST", "PUT", "DELETE",
            "OPTIONS", "TRACE", "PATCH", "CONNECT", "PRI", "get", "G ET", "", "GET\u0000", "M-SEARCH",
            "X".repeat(300));
    private static final List<String> PATHS = List.of("/metrics", "/health", "/", "*", "", "/metrics?name[]=x&y",
            "/metrics?debug=1", "/metrics#fragment", "/%6detrics", "/metrics/../health", "/../../etc/passwd",
            "//metrics", "http://localhost/metrics", "http://[::1]:1/health", "/metrics%00", "/metrics%2",
            "/h\u00e9alth", "/metrics;a=b", "localhost:80", "/%2e%2e/metrics", "/metrics\t/x");
    private static final List<String> VERSIONS = List.of("HTTP/1.0", "HTTP/1.0", "HTTP/0.9",
            "HTTP/2.0", "HTTP/1.2", "HTTP/3", "http/1.1", "HTTP/1.1x", "HTTP/", "");
    private static final List<String> END_OF_LINE = List.of("\n", "\n", "\r", "\n\r");
    private static final List<String> HEADERS = List.of("Accept: */*", "Accept-Encoding: gzip", "Connection: close",
            "Connection: keep-alive", "User-Agent: fuzz/1.0", "Content-Length: 0", "X-Empty:", "Cookie: a=b; c",
            "Range: bytes=0-1", "If-Modified-Since: yesterday", "Authorization: Basic !!!", "Forwarded: for=\"[::1]\"");
    private static final List<String> ODD_HEADERS = List.of("Host: a", "Host:", "Connection: upgrade",
            "Upgrade: h2c", "Expect: 100-continue", "Expect: nothing", "Content-Length: 5", "Content-Length: -1",
            "Content-Length: abc", "Content-Length: 99999999999999999999", "Content-Length: 1000000",
            "Content-Length: 5, 6", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip",
            "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: identity", "Content-Type: text/plain",
            " folded continuation", "NoColon", ": no name", "X-\u00e9: x", "X-Long: " + "v".repeat(4000));

    @Test
    void randomRequestsGetNoServerErrorAndNeverHoldTheEndpoint() throws Exception {
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0,
                out -> out.write(UP.getBytes(StandardCharsets.UTF_8)), () -> { })) {
            URI url = URI.create(endpoint.url());
            for (int i = 1; i <= CASES; i++) {
                byte[] request = randomRequest(random);
                String answer = exchange(url, request, i);
                Matcher status = STATUS_LINE.matcher(answer);
                for (int answered = 0; status.find(); answered++) {
                    int code = Integer.parseInt(status.group(1));
                    statuses.merge(code, 1, Integer::sum);
                    // the first answer is to the first request line, a later one to the pipelined request
                    if (code == 505 && !wellFormedRequestLine(answered == 0 ? request : afterHeaders(request))) {
                        continue;
                    }
                    assertThat(code).as("case %d: %s answered%n%s", i, printable(request), answer).isLessThan(500);
                }
                if (i % 50 == 0) {
                    TestingConnections.scrapesAreAnsweredInTime(url, 1, UP);
                }
            }
            TestingConnections.scrapesAreAnsweredInTime(url, 3, UP);
        }
        // the generator reaches both served and refused requests
        assertThat(statuses).as("statuses answered").containsKeys(200, 400);
    }

    /** Sends the request, half-closes, and reads until the server closes the connection. */
    private static String exchange(URI url, byte[] request, int index) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (SocketException closedByServer) {
                // the server refused the request before reading it all; its answer is still read below
            }
            try {
                return TestingSockets.readUntilClosed(socket, CASE_BOUND);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("case " + index + ": the connection was still open after " + CASE_BOUND
                        + ": " + printable(request), e);
            }
        }
    }

    /**
     * A request that is mostly well formed: each part (method, separator, target, version, line ends, headers, body)
     * is the usual one most of the time and odd otherwise; then a few bytes may be overwritten, or the whole cut
     * short, or a second request pipelined behind it.
     */
    private static byte[] randomRequest(Random random) {
        String eol = usually(random, "\r\n", END_OF_LINE);
        StringBuilder text = new StringBuilder();
        text.append(usually(random, "GET", METHODS)).append(random.nextInt(10) == 0 ? "  " : " ");
        if (random.nextInt(20) == 0) {
            text.append('/').append("a".repeat(random.nextInt(12_000)));
        } else {
            text.append(usually(random, random.nextBoolean() ? "/metrics" : "/health", PATHS));
        }
        text.append(' ').append(usually(random, "HTTP/1.1", VERSIONS)).append(eol);
        if (random.nextInt(5) != 0) {
            text.append("Host: localhost").append(eol);
        }
        for (int h = random.nextInt(4); h > 0; h--) {
            text.append(random.nextInt(10) < 8 ? pick(random, HEADERS) : pick(random, ODD_HEADERS)).append(eol);
        }
        if (random.nextInt(8) == 0) {
            text.append("X-Random: ");
            for (int b = random.nextInt(40); b > 0; b--) {
                // any byte but CR and LF, which would end the header line (byte flips below cover those)
                char c = (char) random.nextInt(256);
                text.append(c == '\r' || c == '\n' ? ' ' : c);
            }
            text.append(eol);
        }
        if (random.nextInt(10) != 0) {
            text.append(eol);
        }
        if (random.nextInt(5) == 0) {
            text.append("0123456789".repeat(random.nextInt(10)));
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        switch (random.nextInt(8)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2 -> {
                // a second, well-formed request pipelined behind the first (unmutated, so that its line is known)
                byte[] second = PIPELINED.getBytes(StandardCharsets.US_ASCII);
                bytes = Arrays.copyOf(bytes, bytes.length + second.length);
                System.arraycopy(second, 0, bytes, bytes.length - second.length, second.length);
            }
            default -> {
                // as generated
            }
        }
        return bytes;
    }

    /** {@code usual} eight times in ten, otherwise any of {@code others}. */
    private static String usually(Random random, String usual, List<String> others) {
        return random.nextInt(10) < 8 ? usual : pick(random, others);
    }

    /** {@code METHOD SP TARGET SP HTTP/1.x}, after any empty lines, up to the first CR or LF. */
    private static boolean wellFormedRequestLine(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1).replaceFirst("^[\\r\\n]+", "");
        String[] parts = text.split("[\\r\\n]", 2)[0].split(" ", -1);
        return parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty()
                && (parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"));
    }

    /** What follows the first blank line: the request line of a pipelined request, if any. */
    private static byte[] afterHeaders(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        Matcher blank = BLANK_LINE.matcher(text);
        return blank.find() ? text.substring(blank.end()).getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
    }

    private static String pick(Random random, List<String> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** The request with control and non-ASCII bytes escaped; a long one as its first 200 and last 100 bytes. */
    private static String printable(byte[] request) {
        if (request.length > 300) {
            return printable(Arrays.copyOf(request, 200)) + "..." + printable(Arrays.copyOfRange(request,
                    request.length - 100, request.length)) + " (" + request.length + " bytes)";
        }
        StringBuilder text = new StringBuilder();
        for (byte value : request) {
            int b = value & 0xff;
            if (b == '\r') {
                text.append("\\r");
            } else if (b == '\n') {
                text.append("\\n");
            } else if (b < 0x20 || b >= 0x7f) {
                text.append(String.format("\\x%02x", b));
            } else {
                text.append((char) b);
            }
        }
        return text.toString();
    }
}
