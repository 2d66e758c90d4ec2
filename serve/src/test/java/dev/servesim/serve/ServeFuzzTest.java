package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.testing.TestingSockets;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random requests over raw sockets, from a fixed seed: methods, paths, versions, headers, and bodies from valid
 * requests to broken, deeply nested or oddly typed JSON. The server must answer every one it answers with a status
 * below 500 (but Jetty's 505 to an unsupported HTTP version, and 504 to a generation nobody runs here), every error
 * as vLLM's error JSON without a stack trace, close every connection, and keep answering legitimate requests.
 */
class ServeFuzzTest {

    private static final long SEED = 16;
    private static final int CASES = 300;
    private static final int IDLE_SECONDS = 2;
    private static final Duration CASE_BOUND = Duration.ofSeconds(IDLE_SECONDS + 10L);
    private static final Pattern RESPONSE = Pattern.compile(
            "HTTP/1\\.1 (\\d{3}) [^\\r\\n]*\\r\\n((?:[^\\r\\n]+\\r\\n)*)\\r\\n");

    private static final List<String> METHODS = List.of("POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
            "get", "", "X".repeat(300));
    private static final List<String> PATHS = List.of("/v1/completions", "/v1/chat/completions", "/tokenize",
            "/detokenize", "/v1/models", "/health", "/metrics", "/", "*", "/v1/completions?x=1", "/v1//completions",
            "/v1/completions/../models", "/%761/models", "/v1/completions%00", "http://localhost/health",
            "/v1/chat/completions;a=b");
    private static final List<String> VERSIONS = List.of("HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "http/1.1", "");
    private static final List<String> HEADERS = List.of("Content-Type: application/json", "Accept: */*",
            "Connection: close", "Connection: keep-alive", "Authorization: Bearer x", "Expect: 100-continue",
            "Content-Type: text/plain", "Accept-Encoding: gzip", "X-Long: " + "v".repeat(4000), "NoColon", ": x",
            "Transfer-Encoding: gzip", "Content-Length: abc", "Content-Length: -1");
    private static final List<String> BODIES = List.of(
            "{\"prompt\": \"hi\", \"max_tokens\": 1}",
            "{\"prompt\": [1, 2, 3]}",
            "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 2}",
            "{\"prompt\": \"hi\"}", "{\"tokens\": [1, 2, 536871145]}", "{}", "[]", "null", "\"text\"", "42", "",
            "{\"prompt\": ", "{\"prompt\": \"\\ud800\"}", "{\"prompt\": \"\u00e9\u00e8\ud83d\ude00\"}",
            "{\"prompt\": 1e400}", "{\"prompt\": [1e400]}", "{\"max_tokens\": 99999999999999999999, \"prompt\": \"x\"}",
            "{\"prompt\": \"x\", \"max_tokens\": -1}", "{\"prompt\": \"x\", \"stream\": 1}",
            "{\"prompt\": \"x\", \"n\": 2}", "{\"messages\": [{\"role\": \"\", \"content\": \"x\"}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}",
            "{\"model\": [\"tiny\"], \"prompt\": \"x\"}", "{\"prompt\": \"" + "abcd".repeat(5000) + "\"}",
            "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "{\"prompt\": \"x\", \"prompt\": [1]}", "\u0000\u0001\u0002", "{\"prompt\": \"x\"} trailing");

    @Test
    void randomRequestsAreAnsweredWithoutServerErrorsAndAsJson() throws Exception {
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (TestingApi api = TestingApi.start(new ServeOptions("127.0.0.1", 0, 1, null, 10_000, 64 * 1024, 1, 0),
                IDLE_SECONDS)) {
            for (int i = 1; i <= CASES; i++) {
                String request = randomRequest(random);
                String answer = exchange(api, request, i);
                Matcher response = RESPONSE.matcher(answer);
                while (response.find()) {
                    int status = Integer.parseInt(response.group(1));
                    statuses.merge(status, 1, Integer::sum);
                    String headers = response.group(2);
                    String rest = answer.substring(response.end());
                    assertThat(status).as("case %d: %s answered%n%s", i, printable(request), answer)
                            .satisfiesAnyOf(code -> assertThat(code).isLessThan(500),
                                    code -> assertThat(code).isIn(504, 505));
                    assertThat(answer).as("case %d", i).doesNotContain("Exception", "\tat ");
                    if (status >= 400 && !request.startsWith("HEAD ") && !rest.isEmpty()) {
                        assertThat(headers).as("case %d: %s", i, answer).contains("Content-Type: application/json");
                        assertThat(rest).as("case %d", i).startsWith("{\"error\":{\"message\":");
                    }
                }
                if (i % 50 == 0) {
                    api.answersInTime("/health");
                }
            }
            api.answersInTime("/v1/models");
        }
        // the generator reaches served and refused requests of several kinds
        assertThat(statuses).as("statuses answered").containsKeys(200, 400, 404, 405);
    }

    /** Sends the request, half-closes, and reads until the server closes the connection. */
    private static String exchange(TestingApi api, String request, int index) throws IOException {
        try (Socket socket = new Socket(api.base.getHost(), api.base.getPort())) {
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (SocketException closedByServer) {
                // refused before it was all read; the answer is still read below
            }
            try {
                return TestingSockets.readUntilClosed(socket, CASE_BOUND);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("case " + index + ": the connection was still open after " + CASE_BOUND
                        + ": " + printable(request), e);
            }
        }
    }

    /** Mostly well-formed requests: each part usual most of the time, odd otherwise; sometimes cut short. */
    private static String randomRequest(Random random) {
        String body = BODIES.get(random.nextInt(BODIES.size()));
        String method = usually(random, random.nextInt(4) == 0 ? "GET" : "POST", METHODS);
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(usually(random, PATHS.get(random.nextInt(5)), PATHS)).append(' ')
                .append(usually(random, "HTTP/1.1", VERSIONS)).append("\r\n");
        if (random.nextInt(8) != 0) {
            text.append("Host: localhost\r\n");
        }
        for (int h = random.nextInt(3); h > 0; h--) {
            text.append(HEADERS.get(random.nextInt(HEADERS.size()))).append("\r\n");
        }
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        if (random.nextInt(10) != 0) {
            // sometimes a length that lies
            int announced = random.nextInt(10) == 0 ? Math.max(0, length + random.nextInt(20) - 10) : length;
            text.append("Content-Length: ").append(announced).append("\r\n");
        }
        text.append("\r\n").append(body);
        String request = text.toString();
        if (random.nextInt(10) == 0) {
            request = request.substring(0, random.nextInt(request.length() + 1));
        }
        return request;
    }

    private static String usually(Random random, String usual, List<String> others) {
        return random.nextInt(10) < 8 ? usual : others.get(random.nextInt(others.size()));
    }

    private static String printable(String request) {
        String shown = request.length() > 300 ? request.substring(0, 200) + "..." + request.substring(
                request.length() - 100) + " (" + request.length() + " chars)" : request;
        StringBuilder text = new StringBuilder();
        for (char c : shown.toCharArray()) {
            text.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c < 0x20 ? String.format("\\x%02x", (int) c)
                    : String.valueOf(c));
        }
        return text.toString();
    }
}
