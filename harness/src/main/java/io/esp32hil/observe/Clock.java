package io.esp32hil.observe;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one clock of a run: every timestamp, log line and deadline of the run reads it, and its zero is
 * the moment the run began, so the serial log, the server log and the report line up. It is the
 * wall clock today; a virtual clock shared by board, server and scenario replaces this one object.
 */
public final class Clock {
    private final LongSupplier source;
    private final long origin;

    private Clock(LongSupplier source, long origin) {
        this.source = source;
        this.origin = origin;
    }

    /** The wall clock, its zero now. */
    public static Clock wall() {
        return new Clock(System::nanoTime, System.nanoTime());
    }

    /** Now, in nanoseconds on this clock's scale (comparable with {@link #origin()}). */
    public long now() {
        return source.getAsLong();
    }

    public long origin() {
        return origin;
    }

    /** Seconds since the zero. */
    public double seconds(long nanos) {
        return (nanos - origin) / 1e9;
    }

    /** How a log line shows the time: {@code [     1.234]}. */
    public String stamp(long nanos) {
        return String.format(Locale.ROOT, "[%10.3f]", seconds(nanos));
    }

    /** The moment the duration from now ends. */
    public long deadline(Duration d) {
        return now() + d.toNanos();
    }
}
