package io.esp32hil.net;

import java.net.InetSocketAddress;

/**
 * What a fault proxy reports, told in its owner's words: the proxy in front of a container writes
 * proxy.log lines ({@link #lines}); the test server's front puts events in the server's log.
 */
public interface ProxyLog {
    /** The proxy listens and relays to upstream. */
    default void listening(int port, InetSocketAddress upstream) {}

    /** The proxy as a whole changed: a fault on or off, every connection reset, a new upstream. */
    default void changed(String what) {}

    /** A board connected. */
    default void accepted(int id, String remote) {}

    /** A fault that met a new connection: blackhole (never answered) or delay_handshake. */
    default void metFault(int id, Fault fault) {}

    /** A new connection's handshake was answered with an HTTP status and the connection closed. */
    default void rejected(int id, int status, String requestLine) {}

    /** Something that happened to one connection: a side closed, a reset, a cut. */
    default void link(int id, String what) {}

    /** The lines of proxy.log, as text. */
    static ProxyLog lines(java.util.function.Consumer<String> out) {
        return new ProxyLog() {
            @Override
            public void listening(int port, InetSocketAddress upstream) {
                out.accept("proxy listening on port " + port + ", relaying to " + upstream.getHostString() + ":" + upstream.getPort());
            }

            @Override
            public void changed(String what) {
                out.accept("fault " + what);
            }

            @Override
            public void accepted(int id, String remote) {
                out.accept("#" + id + " accept from " + remote);
            }

            @Override
            public void metFault(int id, Fault fault) {
                out.accept("#" + id + " " + fault.describe());
            }

            @Override
            public void rejected(int id, int status, String requestLine) {
                out.accept("#" + id + " rejected status=" + status);
            }

            @Override
            public void link(int id, String what) {
                out.accept("#" + id + " " + what);
            }
        };
    }
}
