package io.esp32hil.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A TCP relay between boards and a server that injects network faults ({@link Fault}): the test
 * server's front door (with TLS toward the board when it serves wss://) and the proxy in front of a
 * container backend are both one of these. Faults are objects, at most one of each kind at a time;
 * a connection meets the faults as they are at that moment.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 0, null, server.address(), ProxyLog.lines(log::add))) {
 *     board.connectTo("ws://127.0.0.1:" + proxy.port() + "/ws");
 *     proxy.add(Fault.latency(Duration.ofMillis(200)));
 *     proxy.drop();
 *     proxy.clear();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    /**
     * How long a connection whose server has ended waits for the board's close frame before it ends
     * too. Closing the board's side with its answer still on its way would make the kernel reset it,
     * and the board would see 1006 instead of the close; a board's close timeout is 1-2 s.
     */
    public static final Duration LINGER = Duration.ofSeconds(3);

    private final InetAddress bindAddress;
    private final SSLContext tls;
    private final ProxyLog log;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> idByUpstreamPort = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new LinkedHashMap<>();
    private final PortHold hold = new PortHold(); // the port while nothing listens
    private volatile InetSocketAddress upstream;
    private volatile ServerSocket listener;
    private volatile int port;

    private FaultProxy(InetAddress bindAddress, int port, SSLContext tls, InetSocketAddress upstream, ProxyLog log) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.tls = tls;
        this.upstream = upstream;
        this.log = log;
    }

    /** Listens on port of bindHost (0: a free one), TLS toward the board when tls is given, and relays every connection to upstream. */
    public static FaultProxy start(String bindHost, int port, SSLContext tls, InetSocketAddress upstream, ProxyLog log) {
        try {
            FaultProxy proxy = new FaultProxy(InetAddress.getByName(bindHost), port, tls, upstream, log);
            proxy.listen();
            log.listening(proxy.port, upstream);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("the fault proxy cannot listen on " + bindHost + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    ProxyLog log() {
        return log;
    }

    /** Where new connections go from now on (a server that came back on another port). */
    public void upstream(InetSocketAddress address) {
        this.upstream = address;
        log.changed("upstream now " + address.getHostString() + ":" + address.getPort());
    }

    public int openConnections() {
        return links.size();
    }

    /** The connection a server's socket from this port belongs to (0: none), for the server's own log. */
    public int connectionFor(int upstreamLocalPort) {
        return idByUpstreamPort.getOrDefault(upstreamLocalPort, 0);
    }

    /** Switches the fault on, in place of one of its kind. */
    public void add(Fault fault) {
        log.changed(fault.describe());
        synchronized (this) {
            faults.put(fault.kind(), fault);
            notifyAll();
        }
        apply();
    }

    /** Switches off the fault of this kind, if one is on. */
    public void remove(String kind) {
        log.changed(kind + " on=false");
        synchronized (this) {
            faults.remove(kind);
            notifyAll();
        }
        apply();
    }

    /** Every fault off. */
    public void clear() {
        log.changed("clear");
        synchronized (this) {
            faults.clear();
            notifyAll();
        }
        apply();
    }

    /** Resets every open connection on both sides (TCP RST, no close frame), as a dead route or a crashed server does. */
    public void drop() {
        log.changed("drop (" + links.size() + " connection(s) reset)");
        for (Link link : List.copyOf(links.values())) {
            link.reset("drop");
        }
    }

    /** Bytes straight to every board connection; returns the connections they went to. */
    public List<Integer> writeRaw(byte[] bytes) {
        List<Link> open = List.copyOf(links.values());
        open.forEach(l -> l.writeRaw(bytes));
        return open.stream().map(l -> l.id).toList();
    }

    /** Stops listening and resets nothing: open connections go on, new ones are refused until {@link #listen()}. */
    public synchronized void stopListening() {
        ServerSocket socket = listener;
        listener = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
            hold.hold(bindAddress, port);
        }
    }

    /** Listens (again) on its port. */
    public synchronized void listen() throws IOException {
        if (listener != null) {
            return;
        }
        hold.release();
        ServerSocket socket = tls != null ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        socket.setReuseAddress(true); // listening again binds the same port at once
        socket.bind(new InetSocketAddress(bindAddress, port), 50);
        port = socket.getLocalPort();
        listener = socket;
        Thread acceptor = new Thread(() -> acceptLoop(socket), "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops listening for good and closes every connection. */
    @Override
    public void close() {
        stopListening();
        hold.release();
        for (Link link : List.copyOf(links.values())) {
            link.close();
        }
    }

    /** The port follows refuse; open connections take a new budget. */
    private void apply() {
        if (active(Fault::refuses) != null) {
            stopListening();
        } else if (listener == null) {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException("the fault proxy cannot listen again on port " + port, e);
            }
        }
        long budget = budget();
        links.values().forEach(l -> l.limitFromNow(budget));
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket board = socket.accept();
                int id = nextId.getAndIncrement();
                log.accepted(id, board.getInetAddress().getHostAddress() + ":" + board.getPort());
                Link link = new Link(id, this, board);
                links.put(id, link);
                // a connection meets the faults that are on when it comes, whatever happens after
                Fault swallow = active(Fault::swallows);
                Fault reject = active(f -> f.rejectStatus() > 0);
                Fault delay = active(f -> !f.handshakeDelay().isZero());
                InetSocketAddress to = upstream;
                Thread t = new Thread(() -> link.open(to, swallow, reject, delay), "fault-proxy-link-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    // ---- what the links ask ----------------------------------------------------------------------

    /** The first fault on that matches, or null. */
    synchronized Fault active(Predicate<Fault> matching) {
        return faults.values().stream().filter(matching).findFirst().orElse(null);
    }

    synchronized Duration latency() {
        return faults.values().stream().map(Fault::latency).reduce(Duration.ZERO, Duration::plus);
    }

    synchronized long bytesPerSecond() {
        return faults.values().stream().mapToLong(Fault::bytesPerSecond).filter(b -> b > 0).min().orElse(0);
    }

    synchronized long budget() {
        return faults.values().stream().mapToLong(Fault::budget).filter(b -> b >= 0).min().orElse(-1);
    }

    /** Returns once the board's bytes may be read again. */
    synchronized void awaitReading() throws InterruptedException {
        while (active(Fault::pausesReading) != null) {
            wait(50);
        }
    }

    void connected(Link link, int upstreamLocalPort) {
        idByUpstreamPort.put(upstreamLocalPort, link.id);
    }

    void ended(Link link) {
        links.remove(link.id);
        Socket up = link.upstreamSocket();
        if (up != null) {
            idByUpstreamPort.remove(up.getLocalPort());
        }
    }
}
