package io.esp32hil.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One board connection through a {@link FaultProxy} and its connection to the server: each direction
 * a reader that queues chunks with the time they may leave and a writer that keeps to it, both bent
 * by the proxy's faults as they are at that moment.
 */
final class Link {
    private static final int CHUNK = 8192;
    private static final int MAX_REQUEST_HEAD = 16 * 1024;

    /** Data on its way, and when it may be written; null data marks the end of the stream. */
    private record Chunk(long due, byte[] data) {}

    final int id;
    private final FaultProxy proxy;
    private final Socket board;
    private volatile Socket server;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final BlockingQueue<Chunk> toBoard = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final CloseFrameWatch boardFrames = new CloseFrameWatch();
    private final CountDownLatch boardDone = new CountDownLatch(1);
    private volatile boolean ended;
    private volatile boolean serverEnded;
    private long transferred; // both ways, counted before each write so a budget set later starts after what was seen
    private long limit = Long.MAX_VALUE;

    Link(int id, FaultProxy proxy, Socket board) {
        this.id = id;
        this.proxy = proxy;
        this.board = board;
    }

    /**
     * Meets the faults that were on when the board connected (swallow, reject, delay: null when not),
     * connects to the server and relays; on a thread of its own.
     */
    void open(InetSocketAddress upstream, Fault swallow, Fault reject, Fault delay) {
        try {
            board.setTcpNoDelay(true);
            InputStream in = board.getInputStream();
            if (swallow != null) {
                proxy.log().metFault(id, swallow);
                discard(in);
                return;
            }
            if (reject != null) {
                byte[] head = readRequestHead(in);
                int status = reject.rejectStatus();
                board.getOutputStream().write(("HTTP/1.1 " + status + " " + RejectHandshake.reason(status)
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                board.getOutputStream().flush();
                String requestLine = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                proxy.log().rejected(id, status, requestLine);
                close();
                return;
            }
            if (delay != null) {
                proxy.log().metFault(id, delay);
                Thread.sleep(delay.handshakeDelay().toMillis()); // the injected delay itself
            }
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            try {
                s.connect(upstream, 5000);
            } catch (IOException e) {
                proxy.log().link(id, "upstream " + upstream.getHostString() + ":" + upstream.getPort() + " unreachable (" + e.getMessage()
                        + "): connection reset");
                reset(null);
                return;
            }
            server = s;
            proxy.connected(this, s.getLocalPort());
            limitFromNow(proxy.budget());
            direction(board, s, up, "up");
            direction(s, board, down, "down");
        } catch (IOException e) {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    synchronized void limitFromNow(long bytes) {
        limit = bytes < 0 ? Long.MAX_VALUE : transferred + bytes;
    }

    /** How much of n bytes may go before the budget, counted as gone. */
    private synchronized int take(int n) {
        int allowed = (int) Math.max(0, Math.min(n, limit - transferred));
        transferred += allowed;
        return allowed;
    }

    /** Bytes straight to the board, in order with what the server sends (a malformed frame). */
    void writeRaw(byte[] bytes) {
        toBoard.add(new Chunk(System.nanoTime(), bytes.clone()));
    }

    private void direction(Socket from, Socket to, AtomicLong counter, String name) {
        boolean fromBoard = from == board;
        BlockingQueue<Chunk> queue = fromBoard ? new LinkedBlockingQueue<>() : toBoard;
        start("read-" + name, () -> read(from, queue, fromBoard));
        start("write-" + name, () -> write(to, queue, counter, fromBoard));
    }

    private void read(Socket from, BlockingQueue<Chunk> queue, boolean fromBoard) {
        byte[] buf = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (fromBoard) {
                    proxy.awaitReading(); // what was read waits too; the board's further bytes back up in TCP
                    boardFrames.accept(buf, 0, n);
                    if (boardFrames.closeSeen()) {
                        boardDone.countDown();
                    }
                }
                if (proxy.active(Fault::swallows) == null && !(fromBoard && serverEnded)) {
                    queue.add(new Chunk(System.nanoTime() + proxy.latency().toNanos(), Arrays.copyOf(buf, n)));
                }
            }
            if (!fromBoard) {
                serverEnded = true; // from now on the board's bytes are read and dropped until its close is in
            }
            queue.add(new Chunk(0, null));
        } catch (IOException e) {
            reset((fromBoard ? "board" : "server") + " connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            // the link ended
        } finally {
            if (fromBoard) {
                boardDone.countDown();
            }
        }
    }

    private void write(Socket to, BlockingQueue<Chunk> queue, AtomicLong counter, boolean fromBoard) {
        try {
            OutputStream out = to.getOutputStream();
            while (!ended) {
                Chunk chunk = queue.take();
                if (chunk.data() == null) {
                    ended(to, fromBoard);
                    return;
                }
                long wait = chunk.due() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the injected latency itself
                }
                paced(out, chunk.data(), counter);
            }
        } catch (IOException e) {
            reset((fromBoard ? "server" : "board") + " connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            // the link ended
        }
    }

    /** One side's stream ended: the board's goes on as a half-close; the server's waits for the board's close, then ends the link. */
    private void ended(Socket to, boolean fromBoard) throws IOException, InterruptedException {
        proxy.log().link(id, (fromBoard ? "board" : "server") + " closed its side (up " + up.get() + " B, down " + down.get() + " B)");
        if (fromBoard) {
            to.shutdownOutput();
            if (serverEnded) {
                close();
            }
            return;
        }
        boardDone.await(FaultProxy.LINGER.toMillis(), TimeUnit.MILLISECONDS);
        close();
    }

    /** Writes a chunk within the bandwidth limit and the byte budget; a spent budget closes the link. */
    private void paced(OutputStream out, byte[] chunk, AtomicLong counter) throws IOException, InterruptedException {
        int off = 0;
        while (off < chunk.length) {
            long rate = proxy.bytesPerSecond();
            int n = rate > 0 ? (int) Math.max(1, Math.min(chunk.length - off, rate / 20)) : chunk.length - off;
            int allowed = take(n);
            if (allowed > 0) {
                counter.addAndGet(allowed);
                out.write(chunk, off, allowed);
                out.flush();
            }
            if (allowed < n) {
                proxy.log().link(id, "cut after its byte budget: closed (up " + up.get() + " B, down " + down.get() + " B)");
                close();
                return;
            }
            off += n;
            if (rate > 0) {
                Thread.sleep(Math.max(1, n * 1000L / rate)); // pacing is the fault being injected
            }
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, "fault-proxy-" + name + "-" + id);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void discard(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // a blackhole reads and forgets
        }
        close();
    }

    /** A TCP reset both ways (SO_LINGER 0), as when a server crashes or a route dies; why goes to the log (null: said already). */
    void reset(String why) {
        if (ended) {
            return;
        }
        if (why != null) {
            proxy.log().link(id, "reset (" + why + "; up " + up.get() + " B, down " + down.get() + " B)");
        }
        end(true);
    }

    void close() {
        if (!ended) {
            end(false);
        }
    }

    private synchronized void end(boolean reset) {
        if (ended) {
            return;
        }
        ended = true;
        proxy.ended(this);
        for (Socket s : new Socket[] {board, server}) {
            if (s == null) {
                continue;
            }
            try {
                if (reset) {
                    s.setSoLinger(true, 0);
                }
                s.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
        threads.forEach(Thread::interrupt);
    }

    Socket upstreamSocket() {
        return server;
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
}
