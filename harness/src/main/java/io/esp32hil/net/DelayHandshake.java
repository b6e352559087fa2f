package io.esp32hil.net;

import java.time.Duration;

/** A new connection waits this long before its handshake reaches the server. */
record DelayHandshake(Duration delay) implements Fault {
    @Override
    public String kind() {
        return "delay_handshake";
    }

    @Override
    public String describe() {
        return "delay_handshake ms=" + delay.toMillis();
    }

    @Override
    public Duration handshakeDelay() {
        return delay;
    }
}
