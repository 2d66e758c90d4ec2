package dev.servesim.loadgen.config;

import static dev.servesim.api.ConfigValues.duration;
import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;
import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ServesimException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Configuration of the {@code remote} framework: an OpenAI-compatible server ({@code POST /v1/completions}, streamed)
 * that serves the run's requests. {@code servesim loadgen} writes this section in place of the configuration's own
 * {@code framework}; the API key is never part of it (it is not written with the results).
 *
 * @param url the server's base URL, e.g. {@code http://127.0.0.1:8000} (required; a trailing {@code /} or
 *     {@code /v1} is dropped)
 * @param model the model name sent with every request (required; loadgen takes it from {@code GET /v1/models})
 * @param maxModelLen the server's {@code max_model_len} (0: unknown, the default), which workloads read to keep
 *     conversations within the context
 * @param requestTimeout seconds a request may take from being sent to its last token; then it is given up and
 *     rejected (default 600)
 * @param connectTimeout seconds to open a connection (default 10)
 * @param maxConnections requests at the server at once; more wait at the client, their time counted in their TTFT
 *     (default 512)
 */
public record RemoteConfig(String url, String model, Integer maxModelLen, Double requestTimeout, Double connectTimeout,
        Integer maxConnections) {

    public RemoteConfig {
        url = baseUrl(required("url", url));
        model = required("model", model);
        if (model.isBlank()) {
            throw ServesimException.config("model", "must not be empty");
        }
        maxModelLen = nonNegative("max_model_len", orDefault(maxModelLen, 0));
        requestTimeout = duration("request_timeout", orDefault(requestTimeout, 600.0));
        connectTimeout = duration("connect_timeout", orDefault(connectTimeout, 10.0));
        maxConnections = positive("max_connections", orDefault(maxConnections, 512));
    }

    /**
     * {@code url} as a base URL without a trailing {@code /} or {@code /v1} (OpenAI clients are often given
     * {@code .../v1}).
     *
     * @throws ServesimException ({@code CONFIG}, key {@code url}) unless it is an http or https URL with a host and
     *     without query or fragment
     */
    public static String baseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw badUrl(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw badUrl(url);
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/v1")) {
            text = text.substring(0, text.length() - "/v1".length());
        }
        return text;
    }

    private static ServesimException badUrl(String url) {
        return ServesimException.config("url", "expected an http:// or https:// URL of a server, like "
                + "http://127.0.0.1:8000, got '" + url + "'");
    }
}
