package io.esp32hil.observe;

import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A source's log lines as they happen (a backend's output, the fault proxy's events), each stamped
 * on the run's clock: written at once to a file, so a crashed run keeps them, and put on a stream
 * that the timeline and the waits read. The run's credentials are redacted before either sees a line.
 */
public final class LineLog implements AutoCloseable {
    private final Clock clock;
    private final LogFile file;
    private final EventStream<Line> lines = new EventStream<>();
    private volatile Secrets secrets = new Secrets();

    public LineLog(Path path, Clock clock) {
        this.clock = clock;
        this.file = new LogFile(path, clock);
    }

    public Path path() {
        return file.path();
    }

    /** Told of every line, first of those so far. */
    public void onLine(Consumer<Line> listener) {
        lines.subscribe(listener);
    }

    /** From now on, the run's credentials are redacted in every line (URL query strings always are). */
    public void redactWith(Secrets secrets) {
        this.secrets = secrets;
    }

    public void add(String raw) {
        Line line = new Line(clock.now(), secrets.redact(raw));
        synchronized (this) { // the file in the order of the stream
            file.write(line.nanos(), line.text());
            lines.add(line);
        }
    }

    /** The last n lines' text, oldest first. */
    public List<String> tail(int n) {
        return lines.tail(n).stream().map(Line::text).toList();
    }

    @Override
    public void close() {
        file.close();
    }
}
