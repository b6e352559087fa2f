package io.esp32hil.backend;

import io.esp32hil.observe.Line;
import io.esp32hil.server.TestServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A WebSocket server a board talks to in a run: the harness's built-in test server, or a server in a
 * container. Either is reached at an address on this machine (a fault proxy may sit in front of it),
 * keeps a log of its own, and takes the server actions its control allows.
 */
public interface Backend extends AutoCloseable {
    /** As reports and folders name it: {@code java} for the built-in server, else the backend file's name. */
    String name();

    /** Where it listens on this machine. */
    InetSocketAddress address();

    /** The URL a board that reaches it at host:port is given (scheme and path are the server's). */
    String url(String host, int port);

    /** The fingerprint of its certificate, which the firmware pins, when it serves wss://. */
    default Optional<String> tlsFingerprint() {
        return Optional.empty();
    }

    /** Told of every line of its own log (a container's output, the built-in server's events as server.log has them). */
    void onLog(Consumer<Line> listener);

    /** Its last log lines, for a failure's message and the report. */
    List<String> tail(int n);

    /** The built-in server, when this is it: the server actions that only it has go to it directly. */
    default Optional<TestServer> testServer() {
        return Optional.empty();
    }

    /** Performs a server action through the backend's control, returning what it sent there. */
    String command(String action, Map<String, ?> values);

    @Override
    void close();
}
