package io.esp32hil.net;

/** At most this many bytes per second each way on each connection. */
record Bandwidth(long limit) implements Fault {
    @Override
    public String kind() {
        return "bandwidth";
    }

    @Override
    public String describe() {
        return "bandwidth bytes_per_s=" + limit;
    }

    @Override
    public long bytesPerSecond() {
        return limit;
    }
}
