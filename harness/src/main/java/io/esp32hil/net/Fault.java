package io.esp32hil.net;

import java.time.Duration;

/**
 * A network fault a {@link FaultProxy} applies while it is on, as Toxiproxy's toxics do: each kind is
 * one small class that says how it bends the link. The test server's own faults and the proxy's in
 * front of a container are the same objects; a proxy has at most one fault of each kind at a time.
 */
public interface Fault {
    /** Its kind (one at a time per proxy): refuse, blackhole, latency, ... */
    String kind();

    /** How the proxy's log shows it switched on: {@code latency ms=200}. */
    String describe();

    /** Nothing listens on the port while it is on. */
    default boolean refuses() {
        return false;
    }

    /** Every byte, both ways, vanishes; a new connection is accepted and never answered. */
    default boolean swallows() {
        return false;
    }

    /** The board's bytes are not read while it is on (they back up in TCP). */
    default boolean pausesReading() {
        return false;
    }

    /** Each chunk, both ways, arrives this much later. */
    default Duration latency() {
        return Duration.ZERO;
    }

    /** At most this many bytes per second each way per connection; 0: no limit. */
    default long bytesPerSecond() {
        return 0;
    }

    /** A connection closes once it has carried this many more bytes (both ways) from when the fault came on; negative: never. */
    default long budget() {
        return -1;
    }

    /** The HTTP status a new connection's handshake is answered with; 0: none. */
    default int rejectStatus() {
        return 0;
    }

    /** How long a new connection's handshake waits before it reaches the server. */
    default Duration handshakeDelay() {
        return Duration.ZERO;
    }

    static Fault refuse() {
        return Switch.REFUSE;
    }

    static Fault blackhole() {
        return Switch.BLACKHOLE;
    }

    static Fault stopReading() {
        return Switch.STOP_READING;
    }

    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    static Fault bandwidth(long bytesPerSecond) {
        return new Bandwidth(bytesPerSecond);
    }

    static Fault cutAfter(long bytes) {
        return new CutAfter(bytes);
    }

    static Fault rejectHandshake(int status) {
        return new RejectHandshake(status);
    }

    static Fault delayHandshake(Duration delay) {
        return new DelayHandshake(delay);
    }
}
