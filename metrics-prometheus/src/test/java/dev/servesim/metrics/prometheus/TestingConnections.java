package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Legitimate scrapes that must be answered while misbehaving clients ({@code TestingSockets}) hold connections. */
final class TestingConnections {

    /** What a legitimate scrape is allowed: the deadline is the assertion. */
    static final Duration SCRAPE_DEADLINE = Duration.ofSeconds(1);

    private TestingConnections() {}

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
