package io.esp32hil.server;

import io.esp32hil.net.FaultProxy;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.ServerEvent.Kind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;

/** The WebSocket side of the test server (Java-WebSocket), on an internal loopback port behind the server's front door. */
final class WsEndpoint extends WebSocketServer {
    /**
     * One lock per connection for its sends and its close, our own: Java-WebSocket synchronizes on the
     * connection object itself, and its threads must never wait on a lock our callbacks hold.
     */
    private static final Map<WebSocket, Object> SEND_LOCKS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static Object sendLock(WebSocket c) {
        return SEND_LOCKS.computeIfAbsent(c, k -> new Object());
    }

    /**
     * Sends on c unless it is closing: nothing may follow a close frame (RFC 6455 section 5.5.1), and
     * a close started on another thread (a scenario step, a graceful stop) takes the same lock, so an
     * echo on its way cannot overtake it. Returns whether it sent.
     */
    static boolean sendWhileOpen(WebSocket c, Runnable send) {
        synchronized (sendLock(c)) {
            if (!c.isOpen()) {
                return false;
            }
            send.run();
            return true;
        }
    }

    /** Starts the close handshake on c (see {@link #sendWhileOpen}). */
    static void close(WebSocket c, int code, String reason) {
        synchronized (sendLock(c)) {
            c.close(code, reason);
        }
    }

    private static final int PREVIEW = 120;
    // Header values that carry no secrets; every other header is logged by name only.
    private static final List<String> SHOWN_HEADERS = List.of("host", "origin", "user-agent", "sec-websocket-protocol", "sec-websocket-version");

    private final ServerLog log;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile FaultProxy front;
    private volatile Exception startError;
    volatile boolean ignorePings;
    volatile Behaviour behaviour;

    WsEndpoint(ServerLog log, List<String> subprotocols, Behaviour behaviour) {
        super(new InetSocketAddress("127.0.0.1", 0), List.of(draft(subprotocols)));
        this.log = log;
        this.behaviour = behaviour;
        setReuseAddr(true);
        setConnectionLostTimeout(0); // the board drives keepalive; server pings only when a scenario asks
        setDaemon(true);
        setTcpNoDelay(true);
    }

    private static Draft draft(List<String> subprotocols) {
        List<IProtocol> protocols = new ArrayList<>();
        for (String p : subprotocols) {
            protocols.add(new Protocol(p));
        }
        protocols.add(new Protocol("")); // a client that offers none (or none we know) is accepted without one
        return new Draft_6455(List.<IExtension>of(), protocols);
    }

    void attach(FaultProxy front) {
        this.front = front;
    }

    void awaitStart() throws Exception {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the WebSocket endpoint did not start within 10 s");
        }
        if (startError != null) {
            throw startError;
        }
    }

    static int id(WebSocket conn) {
        Integer id = conn.getAttachment();
        return id == null ? 0 : id;
    }

    private int lookup(WebSocket conn) {
        InetSocketAddress remote = conn.getRemoteSocketAddress();
        return remote == null || front == null ? 0 : front.connectionFor(remote.getPort());
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        StringBuilder names = new StringBuilder();
        List<Object> fields = new ArrayList<>(List.of("path", Secrets.redactQueries(request.getResourceDescriptor())));
        for (Iterator<String> it = request.iterateHttpFields(); it.hasNext(); ) {
            String name = it.next().toLowerCase(Locale.ROOT);
            names.append(names.length() > 0 ? "," : "").append(name);
            if (SHOWN_HEADERS.contains(name)) {
                fields.add(name);
                fields.add(request.getFieldValue(name));
            }
        }
        fields.add("headers");
        fields.add(names.toString());
        log.add(lookup(conn), Kind.HANDSHAKE, fields.toArray());
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        int id = lookup(conn);
        conn.setAttachment(id);
        String protocol = conn.getProtocol() == null ? "" : conn.getProtocol().getProvidedProtocol();
        log.add(id, Kind.OPEN, "path", Secrets.redactQueries(handshake.getResourceDescriptor()), "protocol", protocol.isEmpty() ? null : protocol);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        log.add(id(conn), Kind.TEXT, "size", message.getBytes(StandardCharsets.UTF_8).length, "data", preview(message));
        behaviour.onText(conn, message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        log.add(id(conn), Kind.BINARY, "size", message.remaining());
        behaviour.onBinary(conn, message);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        log.add(id(conn), Kind.PING, "size", f.getPayloadData().remaining(), "answered", !ignorePings);
        if (!ignorePings) {
            super.onWebsocketPing(conn, f);
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        log.add(id(conn), Kind.PONG, "size", f.getPayloadData().remaining());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        if (code == 1006 || code == -1) {
            log.add(id(conn), Kind.LOST, "detail", reason.isEmpty() ? "connection ended without a close frame" : reason);
        } else {
            log.add(id(conn), Kind.CLOSE, "code", code, "reason", reason, "by", remote ? "client" : "server");
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startError = ex;
            started.countDown();
            return;
        }
        log.add(id(conn), Kind.ERROR, "detail", ex.getClass().getSimpleName() + ": " + ex.getMessage());
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    static String preview(String message) {
        return message.length() <= PREVIEW ? message : message.substring(0, PREVIEW) + "...";
    }
}
