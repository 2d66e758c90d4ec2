package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.runner.LiveArrivals;
import dev.servesim.runner.LiveRequest;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Routes each complete request head to its endpoint, on a server thread, and answers everything that goes wrong
 * with vLLM's error JSON ({@link ApiError}). Requests with a body count among the requests in flight from before
 * their body is read until they are answered and, for generations, until the engine is done with them: above
 * {@link ServeOptions#maxConcurrentRequests()} a request is answered 429 at once, which bounds the memory of bodies
 * being read and the load handed to the run.
 *
 * <p>A handler of a replica's own port ({@code servesim serve} with a cluster) pins every generation to its replica,
 * which the router then never sees, and serves only that replica's metrics at {@code /metrics}.
 */
final class ApiHandler extends Handler.Abstract {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServedModel model;
    private final Tokenizer tokenizer;
    private final RequestParser parser;
    private final LiveArrivals arrivals;
    private final ServeOptions options;
    private final Executor executor;
    private final Scheduler scheduler;
    private final MetricsProxy metrics;
    private final OptionalInt replica;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean shuttingDown;

    ApiHandler(ServedModel model, Tokenizer tokenizer, LiveArrivals arrivals, ServeOptions options, Executor executor,
            Scheduler scheduler, MetricsProxy metrics) {
        this(model, tokenizer, arrivals, options, executor, scheduler, metrics, OptionalInt.empty());
    }

    /** @param replica the replica this port stands in for, or empty for the port in front of the whole run */
    ApiHandler(ServedModel model, Tokenizer tokenizer, LiveArrivals arrivals, ServeOptions options, Executor executor,
            Scheduler scheduler, MetricsProxy metrics, OptionalInt replica) {
        this.model = requireNonNull(model, "model is null");
        this.tokenizer = requireNonNull(tokenizer, "tokenizer is null");
        this.parser = new RequestParser(model, tokenizer);
        this.arrivals = requireNonNull(arrivals, "arrivals is null");
        this.options = requireNonNull(options, "options is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.replica = requireNonNull(replica, "replica is null");
    }

    /** From now on, requests for work are answered 503, and {@code /health} too. */
    void beginShutdown() {
        shuttingDown = true;
    }

    /** Requests with a body being read or answered, and generations the engine has not finished. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = Route.of(Request.getPathInContext(request)).orElse(null);
        String method = request.getMethod();
        boolean post = route != null && route.post;
        if (!post && (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
            // bodies of other requests are never read: answer, then close instead of reading past it
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        if (route == null) {
            simple(request, response, callback).error(new ApiError(404, "Not Found: servesim serves "
                    + Route.LIST, null));
            return true;
        }
        boolean allowed = post ? HttpMethod.POST.is(method) : HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        if (!allowed) {
            response.getHeaders().put(HttpHeader.ALLOW, post ? "POST" : "GET, HEAD");
            if (post) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            simple(request, response, callback).error(new ApiError(405, "Method Not Allowed: use "
                    + (post ? "POST" : "GET") + " for " + route.path, null));
            return true;
        }
        switch (route) {
            case HEALTH -> health(simple(request, response, callback));
            case MODELS -> simple(request, response, callback).json(200, models());
            case METRICS -> metrics(simple(request, response, callback));
            default -> post(route, request, response, callback);
        }
        return true;
    }

    private void metrics(Exchange exchange) {
        if (replica.isPresent()) {
            metrics.forward(exchange, replica.getAsInt(), model.name());
        } else {
            metrics.forward(exchange);
        }
    }

    private void health(Exchange exchange) {
        if (shuttingDown) {
            exchange.error(new ApiError(503, "servesim is shutting down", null));
        } else if (exchange.claim()) {
            // as vLLM: 200 and no body
            exchange.send(200, Exchange.JSON, "");
        }
    }

    private ObjectNode models() {
        ObjectNode list = NODES.objectNode();
        list.put("object", "list");
        ObjectNode card = list.putArray("data").addObject();
        card.put("id", model.name());
        card.put("object", "model");
        card.put("created", model.createdEpochSeconds());
        card.put("owned_by", "servesim");
        card.put("root", model.name());
        card.putNull("parent");
        card.put("max_model_len", model.maxModelLen());
        card.putArray("permission");
        return list;
    }

    private void post(Route route, Request request, Response response, Callback callback) {
        if (shuttingDown) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            simple(request, response, callback).error(new ApiError(503, "servesim is shutting down: it takes no "
                    + "more requests", null));
            return;
        }
        if (inFlight.incrementAndGet() > options.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            simple(request, response, callback).error(new ApiError(429, "too many requests in flight: servesim "
                    + "serves at most " + options.maxConcurrentRequests() + " at once (--max-concurrent-requests)",
                    null));
            return;
        }
        // the place is freed when both the answer is done and the engine is done with the request (if it got it)
        AtomicInteger holders = new AtomicInteger(2);
        Runnable release = () -> {
            if (holders.decrementAndGet() == 0) {
                inFlight.decrementAndGet();
            }
        };
        Runnable engineDone = once(release);
        AtomicBoolean handedToEngine = new AtomicBoolean();
        Exchange exchange = Exchange.of(request, response, callback, () -> {
            release.run();
            if (!handedToEngine.get()) {
                // answered (a timeout, an error) or failed before the request reached the engine, if it ever will
                engineDone.run();
            }
        });
        exchange.armTimeout(scheduler, options.requestTimeoutSeconds());
        BodyReader.read(request, options.maxBodyBytes(), body -> {
            try {
                answer(route, exchange, body, handedToEngine, engineDone);
            } catch (ApiError error) {
                engineDone.run();
                exchange.error(error);
            } catch (RuntimeException bug) {
                engineDone.run();
                exchange.error(new ApiError(500, "servesim failed to answer: " + bug, null));
            }
        }, failure -> {
            engineDone.run();
            if (failure instanceof ApiError error) {
                exchange.error(error);
            } else if (failure instanceof TimeoutException) {
                exchange.failed(new HttpException.RuntimeException(408, "the request body did not arrive in time ("
                        + "nothing came for the idle timeout)"));
            } else {
                exchange.failed(failure);
            }
        });
    }

    private void answer(Route route, Exchange exchange, byte[] body, AtomicBoolean handedToEngine,
            Runnable engineDone) {
        JsonNode root = parser.object(body);
        switch (route) {
            case COMPLETIONS -> generate(exchange, parser.completion(root), handedToEngine, engineDone);
            case CHAT -> generate(exchange, parser.chat(root), handedToEngine, engineDone);
            case TOKENIZE -> {
                int[] tokens = parser.tokenize(root);
                engineDone.run();
                ObjectNode answer = NODES.objectNode();
                answer.put("count", tokens.length);
                answer.put("max_model_len", model.maxModelLen());
                ArrayNode list = answer.putArray("tokens");
                for (int token : tokens) {
                    list.add(token);
                }
                answer.putNull("token_strs");
                exchange.json(200, answer);
            }
            case DETOKENIZE -> {
                String text = tokenizer.decode(parser.detokenize(root));
                engineDone.run();
                exchange.json(200, NODES.objectNode().put("prompt", text));
            }
            default -> throw new IllegalStateException("not a POST route: " + route);
        }
    }

    private void generate(Exchange exchange, GenerationRequest request, AtomicBoolean handedToEngine,
            Runnable engineDone) {
        Generation generation = new Generation(exchange, request, model.name(),
                System.currentTimeMillis() / 1000, executor, engineDone);
        exchange.onTimeout(generation::timedOut);
        handedToEngine.set(true);
        if (!exchange.claim()) {
            // timed out while the body was read
            engineDone.run();
            return;
        }
        exchange.ignoreIdleTimeoutWhile(generation::waitingForSimulation);
        long id;
        try {
            // the request arrives when its first bytes did, as a client's clock sees it (parsing and tokenizing
            // are part of the server's time to first token)
            LiveRequest live = new LiveRequest(PromptBlocks.of(request.promptTokens(), model.blockSizeTokens()),
                    request.maxTokens(), replica);
            id = arrivals.submit(live, generation, exchange.request().getBeginNanoTime());
        } catch (IllegalStateException closed) {
            engineDone.run();
            exchange.send(503, Exchange.JSON, new ApiError(503, "servesim is shutting down: it takes no more "
                    + "requests", null).body().toString());
            return;
        }
        generation.submitted(id);
    }

    private Exchange simple(Request request, Response response, Callback callback) {
        return Exchange.of(request, response, callback, () -> { });
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /** The paths served. */
    enum Route {
        COMPLETIONS("/v1/completions", true),
        CHAT("/v1/chat/completions", true),
        MODELS("/v1/models", false),
        HEALTH("/health", false),
        TOKENIZE("/tokenize", true),
        DETOKENIZE("/detokenize", true),
        METRICS("/metrics", false);

        static final String LIST = "POST /v1/completions, POST /v1/chat/completions, GET /v1/models, GET /health, "
                + "POST /tokenize, POST /detokenize and GET /metrics";

        final String path;
        final boolean post;

        Route(String path, boolean post) {
            this.path = path;
            this.post = post;
        }

        static Optional<Route> of(String path) {
            for (Route route : values()) {
                if (route.path.equals(path)) {
                    return Optional.of(route);
                }
            }
            return Optional.empty();
        }
    }
}
