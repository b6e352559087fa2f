package io.esp32hil.observe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A log on disk, one line per thing observed, stamped on the run's clock ({@code [     1.234] text})
 * and flushed at once, so a crashed run keeps everything up to its end. Every timestamped log the
 * harness writes is one of these.
 */
public final class LogFile implements AutoCloseable {
    private final Path path;
    private final Clock clock;
    private final BufferedWriter out;

    public LogFile(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    public synchronized void write(long nanos, String text) {
        try {
            out.write(clock.stamp(nanos) + " " + text + System.lineSeparator());
            out.flush();
        } catch (IOException e) {
            // what is observed still reaches the run; a full disk must not stop it
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // closing a log at the end of a run: nothing left to lose
        }
    }
}
