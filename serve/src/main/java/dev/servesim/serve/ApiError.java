package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, answered as vLLM's OpenAI server answers (vllm/entrypoints/openai/protocol.py,
 * {@code ErrorResponse}): {@code {"error": {"message", "type", "param", "code"}}} with the HTTP status as the code and
 * the status's name as the type ({@code BadRequestError}, {@code NotFoundError}, ...). Thrown while a request is
 * parsed; never carries a stack trace to the client.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String param;

    ApiError(int status, String message, String param) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.param = param;
    }

    /** 400: the body is not a request this server takes; {@code param} names the field, or is null. */
    static ApiError badRequest(String message, String param) {
        return new ApiError(400, message, param);
    }

    int status() {
        return status;
    }

    /** The JSON body. */
    ObjectNode body() {
        return body(status, getMessage(), param);
    }

    /** The JSON body of an error with {@code status}, {@code message} and {@code param} (null for none). */
    static ObjectNode body(int status, String message, String param) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type(status));
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", status);
        return root;
    }

    /** The error type vLLM names for {@code status}. */
    static String type(int status) {
        return switch (status) {
            case 400 -> "BadRequestError";
            case 404 -> "NotFoundError";
            case 405 -> "MethodNotAllowedError";
            case 408 -> "RequestTimeoutError";
            case 413 -> "RequestEntityTooLargeError";
            case 429 -> "RateLimitError";
            case 431 -> "RequestHeaderFieldsTooLargeError";
            case 503 -> "ServiceUnavailableError";
            case 504 -> "TimeoutError";
            default -> status >= 500 ? "InternalServerError" : "BadRequestError";
        };
    }
}
