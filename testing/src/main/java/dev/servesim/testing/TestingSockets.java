package dev.servesim.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw loopback connections that misbehave toward a server (the live metrics endpoint, {@code servesim serve}): held
 * open together and closed together, for tests of abusive clients.
 */
public final class TestingSockets implements AutoCloseable {

    private final URI base;
    private final List<Socket> sockets = new ArrayList<>();

    public TestingSockets(URI base) {
        this.base = base;
    }

    /** A new connection that has sent {@code text} (ISO-8859-1) and stays open. */
    public Socket open(String text) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        sockets.add(socket);
        if (!text.isEmpty()) {
            write(socket, text);
        }
        return socket;
    }

    /** Sends {@code text}, or as much as the server takes before it closes the connection. */
    public static void write(Socket socket, String text) throws IOException {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (SocketException closedByServer) {
            // the server answered or closed before reading it all; what it sent is still read by the test
        }
    }

    /** Closes the first {@code count} connections. */
    /**
     * A new connection that has sent {@code text}, or as much of it as the server took before closing the
     * connection (a server may stop reading an oversized request and close).
     */
    public Socket openWriting(String text) throws IOException {
        Socket socket = open("");
        write(socket, text);
        return socket;
    }

    /** The connections still held, oldest first. */
    public List<Socket> sockets() {
        return List.copyOf(sockets);
    }

    public void closeFirst(int count) throws IOException {
        for (int i = 0; i < count && !sockets.isEmpty(); i++) {
            sockets.remove(0).close();
        }
    }

    public int size() {
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
     * Everything the server sends until it closes the connection (or resets it), {@code timeout} bounding each
     * read: a server that keeps the connection open longer fails the test with a
     * {@link java.net.SocketTimeoutException}.
     */
    public static String readUntilClosed(Socket socket, Duration timeout) throws IOException {
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
}
