package dev.servesim.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A served run of the real engine on a free loopback port, and an HTTP client for it. */
final class TestingServe implements AutoCloseable {

    /** Llama-3.1-8B on one H100 with vLLM's prefix cache, a 4096-token context and no background traffic. */
    static final String CONFIG = """
            name: serve-test
            seed: 7
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 4096}
            cache: {strategy: block-hash}
            sinks: [json, csv]
            """;
    /** What one answer may take in these tests, wall clock. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    final ServeSession session;
    final Path output;
    final URI base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(DEADLINE).build();

    private TestingServe(ServeSession session, Path output) {
        this.session = session;
        this.output = output;
        this.base = URI.create(session.apiUrl().toString().replaceFirst("/v1$", ""));
    }

    /** Serves {@code yaml} (written into {@code folder}) with {@code options}; outputs go to {@code folder/out}. */
    static TestingServe start(Path folder, String yaml, ServeOptions options) throws IOException {
        Path config = folder.resolve("serve.yaml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        RunConfiguration configuration = ServeSession.configuration(PluginRegistry.discover(List.of()), config,
                List.of(), options.servedModelName());
        Path output = folder.resolve("out");
        return new TestingServe(ServeSession.start(configuration, output, options), output);
    }

    /** {@link #CONFIG} at time scale 20 on 127.0.0.1:0. */
    static TestingServe start(Path folder) throws IOException {
        return start(folder, CONFIG, ServeOptions.defaults("127.0.0.1", 0, 20));
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(DEADLINE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(DEADLINE).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /**
     * The events of a server-sent event stream: the data of each {@code data: ...} event, in order. Fails unless
     * every event is exactly one {@code data:} line followed by a blank line.
     */
    static List<String> events(String stream) {
        List<String> events = new ArrayList<>();
        for (String event : stream.split("\n\n", -1)) {
            if (event.isEmpty()) {
                continue;
            }
            if (!event.startsWith("data: ") || event.indexOf('\n') >= 0) {
                throw new AssertionError("not a single-line data event: " + event);
            }
            events.add(event.substring("data: ".length()));
        }
        if (!stream.endsWith("\n\n")) {
            throw new AssertionError("the stream does not end with a blank line: " + stream);
        }
        return events;
    }

    @Override
    public void close() {
        session.close();
    }
}
