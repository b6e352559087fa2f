package io.esp32hil.server;

import io.esp32hil.net.Fault;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.observe.Clock;
import io.esp32hil.server.ServerEvent.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.PingFrame;

/**
 * The harness's WebSocket test server: a real server on a real socket that records every event
 * (see {@link ServerLog}), echoes by default, and injects the faults scenarios need. Faults below
 * WebSocket (refuse, reject, delay, blackhole, stop reading, reset) are done by its front door, the
 * same {@link FaultProxy} that stands in front of a container backend; the rest by the
 * Java-WebSocket endpoint behind it.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder().logDir(dir).start()) {
 *     board.connectTo(server.url());
 *     server.log().await(e -> e.kind() == Kind.OPEN, "a connection", Duration.ofSeconds(10));
 *     server.dropAll();
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    private final ServerLog log;
    private final WsEndpoint endpoint;
    private final FaultProxy front;
    private final String host;
    private final String path;
    private final SelfSignedCertificate certificate;
    private final Behaviour behaviour;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> periodic;

    TestServer(TestServerBuilder b) throws Exception {
        this.log = new ServerLog(b.logDir, b.clock != null ? b.clock : Clock.wall());
        this.host = b.host;
        this.path = b.path;
        this.behaviour = b.behaviour;
        this.certificate = b.tls ? SelfSignedCertificate.create(b.logDir.resolve("tls"), b.advertisedHost()) : null;
        this.endpoint = new WsEndpoint(log, b.subprotocols, behaviour);
        endpoint.start();
        endpoint.awaitStart();
        this.front = FaultProxy.start(b.host, b.port, certificate == null ? null : certificate.sslContext(),
                new InetSocketAddress("127.0.0.1", endpoint.getPort()), new FrontLog(log));
        endpoint.attach(front);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-server-timer");
            t.setDaemon(true);
            return t;
        });
        log.add(0, Kind.LISTENING, "url", url());
    }

    public static TestServerBuilder builder() {
        return new TestServerBuilder();
    }

    public ServerLog log() {
        return log;
    }

    public int port() {
        return front.port();
    }

    /** The URL a board on this machine uses; a bench board needs the host's LAN address instead. */
    public String url() {
        return url(host.equals("0.0.0.0") ? "127.0.0.1" : host);
    }

    public String url(String advertisedHost) {
        return url(advertisedHost, port());
    }

    /** The URL through another port on the same host: a fault proxy's in front of this server. */
    public String url(String advertisedHost, int viaPort) {
        return url(certificate != null, advertisedHost, viaPort, path);
    }

    /** A WebSocket URL, an IPv6 host in brackets. */
    public static String url(boolean tls, String host, int port, String path) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "wss://" : "ws://") + h + ":" + port + path;
    }

    /** The run's certificate, when the server speaks wss://. */
    public SelfSignedCertificate certificate() {
        return certificate;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    public int openConnections() {
        return endpoint.getConnections().size();
    }

    // ---- sending, to every open connection ----------------------------------------------------

    public void sendText(String text) {
        for (WebSocket c : open()) {
            if (!WsEndpoint.sendWhileOpen(c, () -> c.send(text))) {
                continue;
            }
            log.add(WsEndpoint.id(c), Kind.SENT, "type", "text", "size", text.getBytes(StandardCharsets.UTF_8).length,
                    "data", WsEndpoint.preview(text));
        }
    }

    public void sendBinary(byte[] data) {
        for (WebSocket c : open()) {
            if (!WsEndpoint.sendWhileOpen(c, () -> c.send(data))) {
                continue;
            }
            log.add(WsEndpoint.id(c), Kind.SENT, "type", "binary", "size", data.length);
        }
    }

    /** A text message of exactly n bytes. */
    public void sendOfSize(int n) {
        sendText("x".repeat(n));
    }

    /** One text message split into the given number of frames (the first TEXT, then CONTINUATION). */
    public void sendFragmented(String text, int parts) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int step = Math.max(1, (bytes.length + parts - 1) / parts);
        for (WebSocket c : open()) {
            for (int off = 0; off < bytes.length || off == 0; off += step) {
                int end = Math.min(bytes.length, off + step);
                c.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, off, end - off), end >= bytes.length);
                if (end >= bytes.length) {
                    break;
                }
            }
            log.add(WsEndpoint.id(c), Kind.SENT, "type", "text", "size", bytes.length, "fragments", parts);
        }
    }

    public void ping(String payload) {
        for (WebSocket c : open()) {
            PingFrame ping = new PingFrame();
            ping.setPayload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
            c.sendFrame(ping);
            log.add(WsEndpoint.id(c), Kind.SENT, "type", "ping", "size", payload.length());
        }
    }

    /** Raw bytes straight onto every board connection (for malformed frames). */
    public void sendRaw(byte[] bytes) {
        for (int id : front.writeRaw(bytes)) {
            log.add(id, Kind.SENT, "type", "raw", "size", bytes.length);
        }
    }

    /** Sends a message to every connection every interval; {@code %d} in the template is a sequence number. */
    public synchronized void startPeriodic(Duration interval, String template) {
        stopPeriodic();
        AtomicInteger seq = new AtomicInteger();
        periodic = timer.scheduleAtFixedRate(() -> sendText(template.replace("%d", String.valueOf(seq.incrementAndGet()))),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stopPeriodic() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    // ---- faults --------------------------------------------------------------------------------

    /** Closes every connection with a close frame carrying code and reason (the close handshake). */
    public void closeAll(int code, String reason) {
        fault("close", "code", code, "reason", reason);
        for (WebSocket c : open()) {
            WsEndpoint.close(c, code, reason);
        }
    }

    /** Resets every connection (TCP RST, no close frame), as a crashed server or a dead route does. */
    public void dropAll() {
        fault("drop");
        front.drop();
    }

    /** Stops the server: graceful sends close 1001 first; otherwise connections are reset. Refuses new ones until {@link #restart()}. */
    public void stop(boolean graceful) {
        front.stopListening();
        if (graceful) {
            closeAll(1001, "server stopping");
        } else {
            dropAll();
        }
        log.add(0, Kind.STOPPED, "graceful", graceful);
    }

    /** Listens again on the same port. */
    public void restart() {
        try {
            front.listen();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen again on port " + port(), e);
        }
        log.add(0, Kind.LISTENING, "url", url());
    }

    /** New connections are refused (nothing listens) or, with false, accepted again. */
    public void refuse(boolean on) {
        fault("refuse", "on", on);
        switchFault(Fault.refuse(), on);
        if (!on) {
            log.add(0, Kind.LISTENING, "url", url());
        }
    }

    /** Handshakes are answered with this HTTP status (0: normally). */
    public void rejectHandshakes(int status) {
        fault("reject", "status", status);
        if (status > 0) {
            front.add(Fault.rejectHandshake(status));
        } else {
            front.remove("reject");
        }
    }

    public void delayHandshakes(Duration delay) {
        fault("delay_handshake", "ms", delay.toMillis());
        if (delay.isZero()) {
            front.remove("delay_handshake");
        } else {
            front.add(Fault.delayHandshake(delay));
        }
    }

    /** New connections are accepted and never answered; open ones go silent both ways. */
    public void blackhole(boolean on) {
        fault("blackhole", "on", on);
        switchFault(Fault.blackhole(), on);
    }

    /** Stops reading from the boards (their sends back up in TCP) or, with false, reads again. */
    public void stopReading(boolean on) {
        fault("stop_reading", "on", on);
        switchFault(Fault.stopReading(), on);
    }

    /** Pings from boards get no pong. */
    public void ignorePings(boolean on) {
        fault("ignore_pings", "on", on);
        endpoint.ignorePings = on;
    }

    private void switchFault(Fault fault, boolean on) {
        if (on) {
            front.add(fault);
        } else {
            front.remove(fault.kind());
        }
    }

    private void fault(String name, Object... fields) {
        List<Object> all = new ArrayList<>(List.of("fault", name));
        all.addAll(List.of(fields));
        log.add(0, Kind.FAULT, all.toArray());
    }

    private Collection<WebSocket> open() {
        return endpoint.getConnections().stream().filter(WebSocket::isOpen).toList();
    }

    @Override
    public void close() {
        stopPeriodic();
        timer.shutdownNow();
        front.close();
        try {
            endpoint.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

}
