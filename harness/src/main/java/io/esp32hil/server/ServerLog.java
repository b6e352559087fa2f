package io.esp32hil.server;

import io.esp32hil.observe.Clock;
import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.LogFile;
import io.esp32hil.observe.Waits;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The test server's events: a stream for waits and reports, written at once to {@code server.log}
 * on the run's clock. {@link #await} reads from a cursor that a match consumes, like the serial
 * console's, so an event that arrived before the wait started is still found, and none matches twice.
 */
public final class ServerLog implements AutoCloseable {
    private static final int TAIL = 15;

    private final Clock clock;
    private final EventStream<ServerEvent> events = new EventStream<>();
    private final LogFile file;
    private final Cursor<ServerEvent> cursor;
    private volatile Secrets secrets = new Secrets();

    public ServerLog(Path logDir, Clock clock) {
        this.clock = clock;
        this.file = new LogFile(logDir.resolve("server.log"), clock);
        this.cursor = events.cursor(new Waits(clock));
    }

    public Path path() {
        return file.path();
    }

    /** From now on, the run's credentials are redacted in the log file (request targets never show their query). */
    public void redactWith(Secrets secrets) {
        this.secrets = secrets;
    }

    /** Told of every event, first of those so far. */
    public void onEvent(Consumer<ServerEvent> listener) {
        events.subscribe(listener);
    }

    /** The events as a stream, for a reader with a cursor of its own. */
    public EventStream<ServerEvent> stream() {
        return events;
    }

    void add(int connection, ServerEvent.Kind kind, Object... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                fields.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
            }
        }
        ServerEvent event = new ServerEvent(clock.now(), connection, kind, Collections.unmodifiableMap(fields));
        synchronized (this) { // the file in the order of the stream
            file.write(event.nanos(), secrets.redact(event.describe()));
            events.add(event);
        }
    }

    /** Waits for an event after the cursor; the cursor moves past it. Throws {@link ServerTimeoutException}. */
    public ServerEvent await(Predicate<ServerEvent> matching, String what, Duration timeout) {
        return cursor.await(what, matching, timeout).orElseThrow(() -> new ServerTimeoutException(String.format(Locale.ROOT,
                "test server: no %s within %.1f s%nlast events:%n%s%nfull log: %s", what, timeout.toMillis() / 1000.0,
                String.join("\n", tail(TAIL)), path())));
    }

    /** Events after the cursor that match, without moving it. */
    public List<ServerEvent> pending(Predicate<ServerEvent> matching) {
        return cursor.pending().stream().filter(matching).toList();
    }

    public List<ServerEvent> events() {
        return events.all();
    }

    /** The last n events as log lines, for failure messages. */
    public List<String> tail(int n) {
        return events.tail(n).stream().map(e -> "  | " + clock.stamp(e.nanos()) + " " + secrets.redact(e.describe())).toList();
    }

    @Override
    public void close() {
        file.close();
    }
}
