package io.esp32hil.net;

import java.time.Duration;

/** Each chunk of data, both ways, arrives this much later. */
record Latency(Duration delay) implements Fault {
    @Override
    public String kind() {
        return "latency";
    }

    @Override
    public String describe() {
        return "latency ms=" + delay.toMillis();
    }

    @Override
    public Duration latency() {
        return delay;
    }
}
