package io.esp32hil.observe;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A reader's place in an {@link EventStream}. A match moves the cursor past it: an event that came
 * before the wait began is still found, and none matches twice.
 */
public final class Cursor<E extends Timed> {
    /** How long one look at the stream waits for something new before the wait's own checks run again. */
    private static final long SLICE_MS = 50;

    private final EventStream<E> stream;
    private final Waits waits;
    private int position;

    Cursor(EventStream<E> stream, Waits waits) {
        this.stream = stream;
        this.waits = waits;
    }

    /** The next event that matches, within the time; the alias names the wait (the step) in its messages. */
    public Optional<E> await(String alias, Predicate<? super E> matching, Duration atMost) {
        return waits.until(alias, atMost, () -> Optional.ofNullable(next(matching)));
    }

    /**
     * Waits out the period (one of the scenario's own waits) and gives the first event in it that
     * matched, if one did: it ends the wait at once. The cursor then stands after everything seen.
     */
    public Optional<E> none(String alias, Predicate<? super E> matching, Duration period) {
        Optional<E> seen = waits.holds(alias, period, () -> Optional.ofNullable(next(matching)));
        position = Math.max(position, stream.size());
        return seen;
    }

    /** What arrived after the cursor, which stays where it is. */
    public synchronized java.util.List<E> pending() {
        java.util.List<E> all = stream.all();
        return all.subList(Math.min(position, all.size()), all.size());
    }

    private synchronized E next(Predicate<? super E> matching) throws InterruptedException {
        int i = stream.find(position, matching, SLICE_MS);
        if (i < 0) {
            return null;
        }
        position = i + 1;
        return stream.get(i);
    }
}
