package io.esp32hil.backend;

import io.esp32hil.secrets.Secrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lines as they happen, each stamped on the run's clock: written at once to a file (so a crashed run
 * keeps them), handed to listeners (the scenario's timeline), and the last few kept for error messages.
 */
public final class TimestampedLog implements AutoCloseable {
    /** Receives each line with its {@link System#nanoTime()} arrival time. */
    public interface Listener {
        void line(long nanos, String text);
    }

    private static final int KEEP = 40;

    private final Path path;
    private final long originNanos;
    private final BufferedWriter file;
    private final Deque<String> last = new ArrayDeque<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Secrets secrets = new Secrets();

    public TimestampedLog(Path path, long originNanos) {
        this.path = path;
        this.originNanos = originNanos;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    public void onLine(Listener listener) {
        listeners.add(listener);
    }

    /** From now on, the run's credentials are redacted in every line (URL query strings always are). */
    public void redactWith(Secrets secrets) {
        this.secrets = secrets;
    }

    public void add(String raw) {
        long nanos = System.nanoTime();
        String text = secrets.redact(raw);
        synchronized (this) {
            try {
                file.write(String.format(Locale.ROOT, "[%10.3f] %s%n", (nanos - originNanos) / 1e9, text));
                file.flush();
            } catch (IOException e) {
                // the listeners still get the line; a full disk must not stop a run
            }
            last.addLast(text);
            if (last.size() > KEEP) {
                last.removeFirst();
            }
        }
        for (Listener l : listeners) {
            l.line(nanos, text);
        }
    }

    /** The last n lines, oldest first. */
    public synchronized List<String> tail(int n) {
        List<String> all = List.copyOf(last);
        return all.subList(Math.max(0, all.size() - n), all.size());
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
