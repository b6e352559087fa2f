package io.esp32hil.backend;

import io.esp32hil.observe.Line;
import io.esp32hil.server.TestServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The harness's own test server as a backend: every server action is its own method, so it has no control port. */
public final class BuiltInBackend implements Backend {
    private final TestServer server;

    public BuiltInBackend(TestServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return BackendSpec.BUILT_IN_NAME;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public String url(String host, int port) {
        return server.url(host, port);
    }

    @Override
    public Optional<String> tlsFingerprint() {
        return Optional.ofNullable(server.certificate()).map(c -> c.sha256());
    }

    @Override
    public void onLog(Consumer<Line> listener) {
        server.log().onEvent(e -> listener.accept(new Line(e.nanos(), e.describe())));
    }

    @Override
    public List<String> tail(int n) {
        return server.log().tail(n);
    }

    @Override
    public Optional<TestServer> testServer() {
        return Optional.of(server);
    }

    @Override
    public String command(String action, Map<String, ?> values) {
        throw new UnsupportedOperationException("the built-in server takes '" + action + "' as a method, not a command");
    }

    @Override
    public void close() {
        server.close();
    }
}
