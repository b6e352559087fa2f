package io.esp32hil.server;

import io.esp32hil.secrets.Secrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The test server's event log: kept in memory for waits and reports, and written at once to
 * {@code server.log}. Waits read from a cursor that a match consumes, like the serial console's,
 * so an event that arrived before the wait started is still found, and none matches twice.
 */
public final class ServerLog implements AutoCloseable {
    private static final int TAIL = 15;

    private final long originNanos;
    private final List<ServerEvent> events = new ArrayList<>();
    private final List<Consumer<ServerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final BufferedWriter file;
    private final Path path;
    private int cursor;
    private volatile Secrets secrets = new Secrets();

    public ServerLog(Path logDir, long originNanos) {
        this.originNanos = originNanos;
        try {
            Files.createDirectories(logDir);
            this.path = logDir.resolve("server.log");
            this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the server log in " + logDir, e);
        }
    }

    public Path path() {
        return path;
    }

    /** From now on, the run's credentials are redacted in the log file (request targets never show their query). */
    public void redactWith(Secrets secrets) {
        this.secrets = secrets;
    }

    public void onEvent(Consumer<ServerEvent> listener) {
        listeners.add(listener);
    }

    void add(int connection, ServerEvent.Kind kind, Object... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                fields.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
            }
        }
        ServerEvent event = new ServerEvent(System.nanoTime(), connection, kind, Collections.unmodifiableMap(fields));
        synchronized (this) {
            events.add(event);
            try {
                file.write(String.format(Locale.ROOT, "[%10.3f] %s%n", (event.nanos() - originNanos) / 1e9, secrets.redact(event.describe())));
                file.flush();
            } catch (IOException e) {
                // the in-memory log still has it; a full disk must not stop the server
            }
            notifyAll();
        }
        for (Consumer<ServerEvent> l : listeners) {
            l.accept(event);
        }
    }

    /** Waits for an event after the cursor; the cursor moves past it. Throws {@link ServerTimeoutException}. */
    public ServerEvent await(Predicate<ServerEvent> matching, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (int i = cursor; i < events.size(); i++) {
                    if (matching.test(events.get(i))) {
                        cursor = i + 1;
                        return events.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ServerTimeoutException(String.format(Locale.ROOT, "test server: no %s within %.1f s%nlast events:%n%s%nfull log: %s",
                            what, timeout.toMillis() / 1000.0, String.join("\n", tail(TAIL)), path));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerTimeoutException("interrupted while waiting for " + what);
                }
            }
        }
    }

    /** Events after the cursor that match, without moving it. */
    public synchronized List<ServerEvent> pending(Predicate<ServerEvent> matching) {
        return events.subList(cursor, events.size()).stream().filter(matching).toList();
    }

    public synchronized List<ServerEvent> events() {
        return List.copyOf(events);
    }

    /** The last n events as log lines, for failure messages. */
    public synchronized List<String> tail(int n) {
        return events.subList(Math.max(0, events.size() - n), events.size()).stream()
                .map(e -> String.format(Locale.ROOT, "  | [%10.3f] %s", (e.nanos() - originNanos) / 1e9, secrets.redact(e.describe())))
                .toList();
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            // closing a log at the end of a run: nothing left to lose
        }
    }
}
