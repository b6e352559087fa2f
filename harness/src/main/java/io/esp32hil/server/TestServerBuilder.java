package io.esp32hil.server;

import io.esp32hil.observe.Clock;
import java.nio.file.Path;
import java.util.List;

/** How to start a test server; every setting has a default that suits a simulated board. */
public final class TestServerBuilder {
    String host = "127.0.0.1";
    String advertised;
    int port;
    String path = "/";
    boolean tls;
    Path logDir = Path.of("target", "test-server");
    List<String> subprotocols = List.of();
    Behaviour behaviour = new Behaviour();
    Clock clock;

    /** The interface to bind: loopback by default, 0.0.0.0 or a LAN address for bench boards. */
    public TestServerBuilder host(String host) {
        this.host = host;
        return this;
    }

    /** The host name or address boards use (and the certificate names), when it differs from the bind address. */
    public TestServerBuilder advertisedHost(String host) {
        this.advertised = host;
        return this;
    }

    public TestServerBuilder port(int port) {
        this.port = port;
        return this;
    }

    public TestServerBuilder path(String path) {
        this.path = path.startsWith("/") ? path : "/" + path;
        return this;
    }

    public TestServerBuilder tls(boolean on) {
        this.tls = on;
        return this;
    }

    public TestServerBuilder logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    public TestServerBuilder subprotocols(List<String> names) {
        this.subprotocols = List.copyOf(names);
        return this;
    }

    public TestServerBuilder behaviour(Behaviour behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    /** The run's clock: the server's timestamps then share their zero with the serial logs and the report. */
    public TestServerBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    String advertisedHost() {
        return advertised != null ? advertised : host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    public TestServer start() {
        try {
            return new TestServer(this);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the test server could not start on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
