package io.esp32hil.backend;

import io.esp32hil.observe.LineLog;
import io.esp32hil.server.PortHold;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between the board and any server (the built-in one, or a backend in a container) that
 * injects network faults: reset every connection, refuse new ones, blackhole, add latency, limit
 * bandwidth, and cut a connection after N bytes. It knows nothing of WebSocket: whatever the server
 * speaks passes through unchanged, TLS included.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", server.address(), log)) {
 *     board.connectTo("ws://127.0.0.1:" + proxy.port() + "/ws");
 *     proxy.latency(Duration.ofMillis(200));
 *     proxy.drop();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private static final int CHUNK = 8192;

    private final InetAddress bindAddress;
    private final LineLog log;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private volatile InetSocketAddress upstream;
    private volatile ServerSocket listener;
    private final PortHold hold = new PortHold(); // the port while it refuses
    private volatile int port;

    private volatile boolean blackhole;
    private volatile long latencyMs;
    private volatile long bytesPerSecond;
    private volatile long cutAfter = -1;

    private FaultProxy(InetAddress bindAddress, InetSocketAddress upstream, LineLog log) {
        this.bindAddress = bindAddress;
        this.upstream = upstream;
        this.log = log;
    }

    /** Listens on a free port of bindHost and relays every connection to upstream. */
    public static FaultProxy start(String bindHost, InetSocketAddress upstream, LineLog log) {
        try {
            FaultProxy proxy = new FaultProxy(InetAddress.getByName(bindHost), upstream, log);
            proxy.listen();
            log.add("proxy listening on port " + proxy.port + ", relaying to " + upstream.getHostString() + ":" + upstream.getPort());
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("the fault proxy cannot listen on " + bindHost + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public LineLog log() {
        return log;
    }

    /** Where new connections go from now on (a server that came back on another port). */
    public void upstream(InetSocketAddress address) {
        this.upstream = address;
        log.add("fault upstream now " + address.getHostString() + ":" + address.getPort());
    }

    public int openConnections() {
        return links.size();
    }

    // ---- faults --------------------------------------------------------------------------------

    /** Resets every open connection on both sides (TCP RST, no close frame), as a dead route or a crashed server does. */
    public void drop() {
        log.add("fault drop (" + links.size() + " connection(s) reset)");
        for (Link link : List.copyOf(links.values())) {
            link.reset("drop");
        }
    }

    /** New connections are refused (nothing listens on the port) or, with false, accepted again on the same port. */
    public void refuse(boolean on) {
        log.add("fault refuse on=" + on);
        if (on) {
            stopListening();
        } else {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException("the fault proxy cannot listen again on port " + port, e);
            }
        }
    }

    /** Every byte, both ways and on every connection, is swallowed: a link that went silent without closing. */
    public void blackhole(boolean on) {
        log.add("fault blackhole on=" + on);
        blackhole = on;
    }

    /** Each chunk of data, both ways, arrives this much later (zero: none). */
    public void latency(Duration delay) {
        log.add("fault latency ms=" + delay.toMillis());
        latencyMs = delay.toMillis();
    }

    /** At most this many bytes per second each way on each connection (zero: unlimited). */
    public void bandwidth(long bytesPerSecond) {
        log.add("fault bandwidth bytes_per_s=" + bytesPerSecond);
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Each connection, open or new, is closed (FIN, mid-message if need be) once it has carried this
     * many more bytes, both ways together; negative: never.
     */
    public void cutAfter(long bytes) {
        log.add("fault cut_after bytes=" + bytes);
        cutAfter = bytes;
        for (Link link : links.values()) {
            link.limitFromNow(bytes);
        }
    }

    /** Every fault off: listening, no blackhole, latency, bandwidth limit or cut. */
    public void clear() {
        log.add("fault clear");
        blackhole = false;
        latencyMs = 0;
        bytesPerSecond = 0;
        cutAfter = -1;
        for (Link link : links.values()) {
            link.limitFromNow(-1);
        }
        if (listener == null) {
            refuse(false);
        }
    }

    /** Stops listening, closes every connection, and closes the log it was given. */
    @Override
    public void close() {
        stopListening();
        hold.release();
        for (Link link : List.copyOf(links.values())) {
            link.close();
        }
        log.close();
    }

    // ---- relaying ------------------------------------------------------------------------------

    private synchronized void listen() throws IOException {
        if (listener != null) {
            return;
        }
        hold.release();
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true); // listening again binds the same port at once
        socket.bind(new InetSocketAddress(bindAddress, port), 50);
        port = socket.getLocalPort();
        listener = socket;
        Thread acceptor = new Thread(() -> acceptLoop(socket), "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private synchronized void stopListening() {
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

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket board = socket.accept();
                int id = nextId.getAndIncrement();
                Thread t = new Thread(() -> open(id, board), "fault-proxy-link-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    private void open(int id, Socket board) {
        InetSocketAddress to = upstream;
        log.add("#" + id + " accept from " + board.getInetAddress().getHostAddress() + ":" + board.getPort());
        Socket server = new Socket();
        try {
            board.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(to, 5000);
        } catch (IOException e) {
            log.add("#" + id + " upstream " + to.getHostString() + ":" + to.getPort() + " unreachable (" + e.getMessage() + "): connection reset");
            resetQuietly(board);
            return;
        }
        Link link = new Link(id, board, server);
        link.limitFromNow(cutAfter);
        links.put(id, link);
        link.start();
    }

    /** Data on its way, and when it may be written; null data marks the end of the stream. */
    private record Chunk(long due, byte[] data) {}

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // a reset is all we wanted
        }
    }

    /** One board connection and its server connection: two directions, each a reader and a paced writer. */
    private final class Link {
        final int id;
        final Socket board;
        final Socket server;
        final AtomicLong up = new AtomicLong();
        final AtomicLong down = new AtomicLong();
        private final List<Thread> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean ended;
        private long transferred; // both ways, counted before each write so a limit set later starts after what was seen
        private long limit = Long.MAX_VALUE;

        Link(int id, Socket board, Socket server) {
            this.id = id;
            this.board = board;
            this.server = server;
        }

        synchronized void limitFromNow(long bytes) {
            limit = bytes < 0 ? Long.MAX_VALUE : transferred + bytes;
        }

        /** How much of n bytes may go before the limit, counted as gone. */
        private synchronized int take(int n) {
            int allowed = (int) Math.max(0, Math.min(n, limit - transferred));
            transferred += allowed;
            return allowed;
        }

        void start() {
            direction(board, server, up, "up");
            direction(server, board, down, "down");
        }

        /** A reader that queues chunks with the time they may leave, and a writer that keeps to it. */
        private void direction(Socket from, Socket to, AtomicLong counter, String name) {
            String fromName = from == board ? "board" : "server";
            String toName = to == board ? "board" : "server";
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[CHUNK];
                try {
                    InputStream in = from.getInputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!blackhole) {
                            queue.add(new Chunk(System.nanoTime() + latencyMs * 1_000_000, Arrays.copyOf(buf, n)));
                        }
                    }
                    queue.add(new Chunk(0, null)); // end of stream: the writer half-closes the other side
                } catch (IOException e) {
                    reset(fromName + " connection failed: " + e.getMessage());
                }
            }, "fault-proxy-" + name + "-read-" + id);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = to.getOutputStream();
                    while (!ended) {
                        Chunk chunk = queue.take();
                        if (chunk.data() == null) {
                            to.shutdownOutput();
                            log.add("#" + id + " " + fromName + " closed its side (up " + up.get() + " B, down " + down.get() + " B)");
                            finishIfBothClosed();
                            return;
                        }
                        long wait = chunk.due() - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the injected latency itself
                        }
                        write(out, chunk.data(), counter);
                    }
                } catch (IOException e) {
                    reset(toName + " connection failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    // the link ended
                }
            }, "fault-proxy-" + name + "-write-" + id);
            reader.setDaemon(true);
            writer.setDaemon(true);
            writers.add(writer);
            reader.start();
            writer.start();
        }

        /** Writes a chunk within the bandwidth limit and the byte budget; a spent budget resets the link. */
        private void write(OutputStream out, byte[] chunk, AtomicLong counter) throws IOException, InterruptedException {
            int off = 0;
            while (off < chunk.length) {
                long rate = bytesPerSecond;
                int n = rate > 0 ? (int) Math.max(1, Math.min(chunk.length - off, rate / 20)) : chunk.length - off;
                int allowed = take(n);
                if (allowed > 0) {
                    counter.addAndGet(allowed);
                    out.write(chunk, off, allowed);
                    out.flush();
                }
                if (allowed < n) {
                    log.add("#" + id + " cut after its byte budget: closed (up " + up.get() + " B, down " + down.get() + " B)");
                    close();
                    return;
                }
                off += n;
                if (rate > 0) {
                    Thread.sleep(Math.max(1, n * 1000L / rate)); // pacing is the fault being injected
                }
            }
        }

        private synchronized void finishIfBothClosed() {
            if (board.isOutputShutdown() && server.isOutputShutdown()) {
                close();
            }
        }

        void reset(String why) {
            if (ended) {
                return;
            }
            log.add("#" + id + " reset (" + why + "; up " + up.get() + " B, down " + down.get() + " B)");
            ended = true;
            links.remove(id);
            resetQuietly(board);
            resetQuietly(server);
            writers.forEach(Thread::interrupt);
        }

        void close() {
            if (ended) {
                return;
            }
            ended = true;
            links.remove(id);
            try {
                board.close();
                server.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
            writers.forEach(Thread::interrupt);
        }
    }
}
