package io.esp32hil.engine;

import io.esp32hil.secrets.Secrets;
import java.util.ArrayList;
import java.util.List;

/** Everything a scenario run saw, in arrival order, on one clock: serial lines, server events, harness steps. */
public final class Timeline {
    /** One entry; {@code event} is the firmware event or server event it is, when it is one. */
    public record Entry(long nanos, String source, String text, String event) {}

    private final long origin;
    private final Secrets secrets;
    private final List<Entry> entries = new ArrayList<>();

    public Timeline(long originNanos) {
        this(originNanos, new Secrets());
    }

    /** A timeline whose entries have the run's credentials redacted (URL query strings always are). */
    public Timeline(long originNanos, Secrets secrets) {
        this.origin = originNanos;
        this.secrets = secrets;
    }

    public long origin() {
        return origin;
    }

    public synchronized void add(long nanos, String source, String text, String event) {
        entries.add(new Entry(nanos, source, secrets.redact(text), event));
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
