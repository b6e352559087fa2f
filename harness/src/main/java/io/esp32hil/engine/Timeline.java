package io.esp32hil.engine;

import java.util.ArrayList;
import java.util.List;

/** Everything a scenario run saw, in arrival order, on one clock: serial lines, server events, harness steps. */
public final class Timeline {
    /** One entry; {@code event} is the firmware event or server event it is, when it is one. */
    public record Entry(long nanos, String source, String text, String event) {}

    private final long origin;
    private final List<Entry> entries = new ArrayList<>();

    public Timeline(long originNanos) {
        this.origin = originNanos;
    }

    public long origin() {
        return origin;
    }

    public synchronized void add(long nanos, String source, String text, String event) {
        entries.add(new Entry(nanos, source, text, event));
    }

    public synchronized List<Entry> entries() {
        List<Entry> copy = new ArrayList<>(entries);
        copy.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        return copy;
    }

    public double seconds(long nanos) {
        return (nanos - origin) / 1e9;
    }
}
