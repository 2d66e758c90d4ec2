package dev.servesim.serve;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without blocking a thread, up to a limit: a client that sends slowly holds its connection
 * but no thread (Jetty calls back when bytes arrive), and one that sends more than {@code maxBytes} is answered 413
 * as soon as the limit is passed, whatever its {@code Content-Length} said.
 */
final class BodyReader implements Runnable {

    private final Request request;
    private final int maxBytes;
    private final Consumer<byte[]> onBody;
    private final Consumer<Throwable> onFailure;
    private final ByteArrayOutputStream body;

    private BodyReader(Request request, int maxBytes, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.onBody = onBody;
        this.onFailure = onFailure;
        long announced = request.getLength();
        this.body = new ByteArrayOutputStream(announced > 0 ? (int) Math.min(announced, maxBytes) : 1024);
    }

    /**
     * Reads the body of {@code request}, then calls {@code onBody} with it, or {@code onFailure} with an
     * {@link ApiError} (413) or the failure that ended the request (the client went away, an idle timeout). Either
     * is called once, on a server thread.
     */
    static void read(Request request, int maxBytes, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
        requireNonNull(onBody, "onBody is null");
        requireNonNull(onFailure, "onFailure is null");
        if (request.getLength() > maxBytes) {
            onFailure.accept(tooLarge(maxBytes));
            return;
        }
        new BodyReader(request, maxBytes, onBody, onFailure).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                onFailure.accept(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            if (body.size() + bytes.remaining() > maxBytes) {
                chunk.release();
                onFailure.accept(tooLarge(maxBytes));
                return;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                onBody.accept(body.toByteArray());
                return;
            }
        }
    }

    private static ApiError tooLarge(int maxBytes) {
        return new ApiError(413, "the request body is larger than servesim takes (" + maxBytes + " bytes)", null);
    }
}
