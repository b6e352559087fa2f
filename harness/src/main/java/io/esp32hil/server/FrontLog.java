package io.esp32hil.server;

import io.esp32hil.net.Fault;
import io.esp32hil.net.ProxyLog;
import io.esp32hil.server.ServerEvent.Kind;

/**
 * What the test server's front door tells, as events of the server's log: connections accepted,
 * the faults a new connection met, handshakes rejected. The server logs its faults switching itself.
 */
final class FrontLog implements ProxyLog {
    private final ServerLog log;

    FrontLog(ServerLog log) {
        this.log = log;
    }

    @Override
    public void accepted(int id, String remote) {
        log.add(id, Kind.ACCEPT, "remote", remote);
    }

    @Override
    public void metFault(int id, Fault fault) {
        if (fault.swallows()) {
            log.add(id, Kind.FAULT, "fault", "blackhole", "detail", "accepted, never answered");
        } else {
            log.add(id, Kind.FAULT, "fault", fault.kind(), "ms", fault.handshakeDelay().toMillis());
        }
    }

    @Override
    public void rejected(int id, int status, String requestLine) {
        log.add(id, Kind.REJECTED, "status", status, "request", requestLine);
    }
}
