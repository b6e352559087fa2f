package io.esp32hil.server;

import io.esp32hil.server.ServerEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The test server's front door: a TCP (or TLS) listener that relays each board connection to the
 * WebSocket endpoint on an internal port. Faults that live below WebSocket happen here: refusing
 * connections, rejecting the handshake with an HTTP status, delaying it, accepting but never
 * answering, stopping reading, resetting connections, and writing raw bytes to the board.
 */
final class Relay {
    private static final int MAX_REQUEST_HEAD = 16 * 1024;

    private final InetAddress bindAddress;
    private final SSLContext tls;
    private final InetSocketAddress upstream;
    private final ServerLog log;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> idByUpstreamPort = new ConcurrentHashMap<>();
    private volatile ServerSocket listener;
    private volatile int port;

    volatile int rejectStatus;
    volatile long handshakeDelayMs;
    volatile boolean blackholeNew;

    Relay(InetAddress bindAddress, int port, SSLContext tls, InetSocketAddress upstream, ServerLog log) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.tls = tls;
        this.upstream = upstream;
        this.log = log;
    }

    int port() {
        return port;
    }

    boolean listening() {
        return listener != null;
    }

    private final PortHold hold = new PortHold(); // the port while nothing listens

    synchronized void listen() throws IOException {
        if (listener != null) {
            return;
        }
        hold.release();
        ServerSocket socket = tls != null ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        socket.setReuseAddress(true); // a restart binds the same port at once
        socket.bind(new InetSocketAddress(bindAddress, port), 50);
        port = socket.getLocalPort();
        listener = socket;
        Thread acceptor = new Thread(() -> acceptLoop(socket), "test-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the listening socket: new connections are refused; open ones are left alone. */
    synchronized void stopListening() {
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

    /** For good: the port is not held any more once nothing will listen on it again. */
    void releasePort() {
        hold.release();
    }

    int connectionFor(int upstreamLocalPort) {
        return idByUpstreamPort.getOrDefault(upstreamLocalPort, 0);
    }

    List<Link> links() {
        return List.copyOf(links.values());
    }

    /** How long a closed connection waits for the board to close its side (a board's close timeout is 1-2 s). */
    static final java.time.Duration LINGER = java.time.Duration.ofSeconds(3);

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                client.setTcpNoDelay(true);
                int id = nextId.getAndIncrement();
                log.add(id, Kind.ACCEPT, "remote", client.getInetAddress().getHostAddress() + ":" + client.getPort());
                Thread t = new Thread(() -> serve(id, client), "test-server-link-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    private void serve(int id, Socket client) {
        Link link = new Link(id, client);
        links.put(id, link);
        try {
            if (blackholeNew) {
                link.blackholed = true;
                log.add(id, Kind.FAULT, "fault", "blackhole", "detail", "accepted, never answered");
                link.discard(client.getInputStream());
                return;
            }
            byte[] head = readRequestHead(client.getInputStream());
            String requestLine = new String(head, 0, Math.max(0, indexOf(head, (byte) '\r')), StandardCharsets.ISO_8859_1);
            int status = rejectStatus;
            if (status > 0) {
                client.getOutputStream().write(("HTTP/1.1 " + status + " " + reason(status)
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                log.add(id, Kind.REJECTED, "status", status, "request", requestLine);
                link.close();
                return;
            }
            long delay = handshakeDelayMs;
            if (delay > 0) {
                log.add(id, Kind.FAULT, "fault", "delay_handshake", "ms", delay);
                Thread.sleep(delay);
            }
            Socket up = new Socket();
            up.setTcpNoDelay(true);
            up.connect(upstream, 5000);
            idByUpstreamPort.put(up.getLocalPort(), id);
            link.upstream = up;
            up.getOutputStream().write(head);
            up.getOutputStream().flush();
            Thread back = new Thread(() -> link.pump(up, client, false), "test-server-down-" + id);
            back.setDaemon(true);
            back.start();
            link.pump(client, up, true);
        } catch (IOException e) {
            link.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close();
        } finally {
            if (link.upstream == null) {
                links.remove(id);
            }
        }
    }

    private static byte[] readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_REQUEST_HEAD) {
                throw new IOException("request head over " + MAX_REQUEST_HEAD + " bytes");
            }
        }
        return head.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    /** One board connection and its relay to the endpoint. */
    final class Link {
        final int id;
        final Socket client;
        volatile Socket upstream;
        volatile boolean blackholed;
        volatile boolean paused;
        // Java-WebSocket closes its socket the moment its own close frame is out. Closing the board's
        // connection then, with the board's answer (or a message) still on its way, makes the kernel
        // reset it, and the board sees 1006 instead of the close. So once the endpoint has ended, the
        // board's bytes are read and dropped until its close frame is in (or it closes, or LINGER).
        private volatile boolean endpointEnded;
        private final CloseFrameWatch boardFrames = new CloseFrameWatch();
        private final java.util.concurrent.CountDownLatch boardDone = new java.util.concurrent.CountDownLatch(1);
        private final Object clientOut = new Object();

        Link(int id, Socket client) {
            this.id = id;
            this.client = client;
        }

        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buf = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        if (!fromClient) {
                            lingerAfterEndpointClosed();
                        }
                        break;
                    }
                    if (fromClient) {
                        awaitUnpaused(); // what was read waits too: the endpoint sees nothing until reading resumes
                        boardFrames.accept(buf, 0, n);
                        if (boardFrames.closeSeen()) {
                            boardDone.countDown();
                        }
                    }
                    if (blackholed || fromClient && endpointEnded) {
                        continue;
                    }
                    if (fromClient) {
                        out.write(buf, 0, n);
                        out.flush();
                    } else {
                        synchronized (clientOut) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // one side went away: end both
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (fromClient) {
                    boardDone.countDown();
                }
            }
            close();
        }

        /** The endpoint has ended: the connection ends once the board's close frame is in, as the close handshake has it. */
        private void lingerAfterEndpointClosed() throws InterruptedException {
            endpointEnded = true;
            boardDone.await(LINGER.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private synchronized void awaitUnpaused() throws InterruptedException {
            while (paused) {
                wait(50);
            }
        }

        synchronized void resume() {
            paused = false;
            notifyAll();
        }

        void discard(InputStream in) throws IOException {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // a blackhole reads and forgets
            }
            close();
        }

        void writeRaw(byte[] bytes) throws IOException {
            synchronized (clientOut) {
                client.getOutputStream().write(bytes);
                client.getOutputStream().flush();
            }
        }

        /** A TCP reset toward the board (SO_LINGER 0), as when a server crashes. */
        void reset() {
            try {
                client.setSoLinger(true, 0);
            } catch (SocketException e) {
                // already closed
            }
            close();
        }

        void close() {
            links.remove(id);
            closeQuietly(client);
            Socket up = upstream;
            if (up != null) {
                idByUpstreamPort.remove(up.getLocalPort());
                closeQuietly(up);
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }
}
