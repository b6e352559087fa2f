package io.esp32hil.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What one source of a run produced (serial lines, server events, a backend's log, the proxy's
 * events), in arrival order: kept for cursors to wait on and for the report's tails, and handed to
 * subscribers as it arrives. A subscriber that comes late first gets everything so far.
 */
public final class EventStream<E extends Timed> {
    /** Enough for hours of a chatty board; beyond it the oldest stay and new ones go to the log files only. */
    private static final int MAX_KEPT = 200_000;

    private final List<E> events = new ArrayList<>();
    private final List<Consumer<? super E>> subscribers = new CopyOnWriteArrayList<>();

    public void add(E event) {
        synchronized (this) {
            if (events.size() < MAX_KEPT) {
                events.add(event);
            }
            notifyAll();
        }
        for (Consumer<? super E> s : subscribers) {
            s.accept(event);
        }
    }

    /** Registers a subscriber and first replays every event so far, so none is missed. */
    public void subscribe(Consumer<? super E> subscriber) {
        List<E> past;
        synchronized (this) {
            past = List.copyOf(events);
            subscribers.add(subscriber);
        }
        past.forEach(subscriber);
    }

    /** A new cursor at the start: what arrived before the first wait is still found. */
    public Cursor<E> cursor(Waits waits) {
        return new Cursor<>(this, waits);
    }

    public synchronized List<E> tail(int n) {
        return List.copyOf(events.subList(Math.max(0, events.size() - n), events.size()));
    }

    public synchronized List<E> all() {
        return List.copyOf(events);
    }

    /**
     * Waits until nothing new has arrived for the quiet period, or atMost has passed: a source that
     * has finished what it was printing (a traceback's last line).
     */
    public synchronized void awaitQuiet(Clock clock, java.time.Duration quiet, java.time.Duration atMost) throws InterruptedException {
        long end = clock.deadline(atMost);
        while (true) {
            long now = clock.now();
            long quietFrom = events.isEmpty() ? now : events.get(events.size() - 1).nanos() + quiet.toNanos();
            long until = Math.min(quietFrom, end);
            if (now >= until) {
                return;
            }
            wait(Math.max(1, (until - now) / 1_000_000));
        }
    }

    synchronized int size() {
        return events.size();
    }

    /**
     * The index of the first event from {@code from} on that matches, waiting up to sliceMs for one
     * to arrive; -1 when none has.
     */
    synchronized int find(int from, Predicate<? super E> matching, long sliceMs) throws InterruptedException {
        int i = scan(from, matching);
        if (i < 0 && sliceMs > 0) {
            wait(sliceMs);
            i = scan(from, matching);
        }
        return i;
    }

    synchronized E get(int i) {
        return events.get(i);
    }

    private int scan(int from, Predicate<? super E> matching) {
        for (int i = from; i < events.size(); i++) {
            if (matching.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
