package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.FaultProxy;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.LineLog;
import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.Behaviour;
import io.esp32hil.server.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What serves the board in one run: the built-in test server or a backend in a container, and the
 * fault proxy in front of it when the backend is a container or a step uses the proxy. Their events
 * and log lines go into the run's timeline and into the lines {@code expect_backend_log} waits on.
 */
final class ServerSide implements AutoCloseable {
    private final Scenario scenario;
    private final BackendSpec backend;
    private final Path logDir;
    private final Timeline timeline;
    private final Clock clock;
    private final Secrets secrets;
    private final EventStream<Line> backendLines;
    private volatile TestServer server;
    private volatile ContainerBackend container;
    private volatile FaultProxy proxy;

    ServerSide(Scenario scenario, BackendSpec backend, Path logDir, Clock clock, Timeline timeline, Secrets secrets, EventStream<Line> backendLines) {
        this.clock = clock;
        this.scenario = scenario;
        this.backend = backend;
        this.logDir = logDir;
        this.timeline = timeline;
        this.secrets = secrets;
        this.backendLines = backendLines;
    }

    /** Starts the server (and the proxy) listening on bind; returns the URL a board at boardHost is given. */
    String start(String bind, String boardHost, Map<String, Double> metrics) {
        InetSocketAddress upstream;
        if (backend.builtIn()) {
            Scenario.ServerSetup setup = scenario.server();
            server = TestServer.builder().host(bind).advertisedHost(boardHost).logDir(logDir).clock(clock)
                    .tls(setup.tls()).path(setup.path()).subprotocols(setup.subprotocols()).behaviour(new Behaviour().echo(setup.echo())).start();
            server.log().redactWith(secrets);
            server.log().onEvent(e -> {
                timeline.add(e.nanos(), "server", e.describe(), e.kind().id());
                backendLines.add(new Line(e.nanos(), e.describe()));
            });
            if (!scenario.usesProxy()) {
                return server.url(boardHost);
            }
            upstream = new InetSocketAddress("127.0.0.1", server.port());
        } else {
            long t0 = clock.now();
            ContainerBackend c = ContainerBackend.start(backend, logDir, clock);
            container = c;
            c.log().redactWith(secrets);
            metrics.put("backend_start_ms", (double) Math.round((clock.now() - t0) / 1e6)); // to a listening port
            c.log().onLine(line -> {
                timeline.add(line.nanos(), "backend", line.text(), null);
                backendLines.add(line);
            });
            upstream = c.address();
        }
        LineLog proxyLog = new LineLog(logDir.resolve("proxy.log"), clock);
        proxyLog.redactWith(secrets);
        proxyLog.onLine(line -> timeline.add(line.nanos(), "proxy", line.text(), null));
        proxy = FaultProxy.start(bind, upstream, proxyLog);
        return server != null ? server.url(boardHost, proxy.port()) : TestServer.url(false, boardHost, proxy.port(), backend.path());
    }

    /** How the timeline names what the board reaches. */
    String describe() {
        return backend.builtIn() ? "the test server" : "backend " + backend.name();
    }

    /** The SHA-256 fingerprint of the test server's certificate, when it serves TLS. */
    Optional<String> tlsFingerprint() {
        return Optional.ofNullable(server).map(TestServer::certificate).map(c -> c.sha256());
    }

    String backendName() {
        return backend.name();
    }

    Optional<TestServer> testServer() {
        return Optional.ofNullable(server);
    }

    Optional<ContainerBackend> container() {
        return Optional.ofNullable(container);
    }

    FaultProxy proxy() {
        return proxy;
    }

    /** The last events or log lines of whatever served the board, for the report. */
    List<String> tail(int n) {
        if (server != null) {
            return server.log().tail(n);
        }
        ContainerBackend c = container;
        return c == null ? List.of() : c.log().tail(n).stream().map(l -> "  | " + l).toList();
    }

    /** What the server side did last, for a failure's message; serialLog is the board's log beside the server's. */
    void describeLast(StringBuilder sb, int n, Path serialLog) {
        if (server != null) {
            sb.append("last server events:\n").append(String.join("\n", server.log().tail(n))).append('\n');
        }
        if (container != null) {
            sb.append("last backend log lines (").append(backend.name()).append("):\n").append(String.join("\n", tail(n))).append('\n');
        }
        FaultProxy p = proxy;
        if (p != null) {
            sb.append("last proxy events:\n");
            p.log().tail(8).forEach(l -> sb.append("  | ").append(l).append('\n'));
        }
        if (server != null && p == null) {
            sb.append("logs: ").append(serialLog).append(", ").append(server.log().path());
        } else if (server != null || container != null) {
            sb.append("logs: ").append(logDir);
        }
    }

    /** The proxy first, so the board sees its server go the way a network does; then the server. */
    @Override
    public void close() {
        closeQuietly(proxy, "the fault proxy");
        closeQuietly(container, "backend " + backend.name());
        TestServer s = server;
        if (s != null) {
            s.close();
        }
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("hil: stopping " + what + " failed: " + e.getMessage());
        }
    }
}
