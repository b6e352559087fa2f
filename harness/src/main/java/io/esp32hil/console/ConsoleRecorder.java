package io.esp32hil.console;

import io.esp32hil.observe.Clock;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.Line;
import io.esp32hil.observe.LogFile;
import io.esp32hil.secrets.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listening half of a serial console (pytest-embedded's listener): every byte a board sends goes
 * to the raw log, and its lines, each stamped on the run's clock, to the line log and the console's
 * line stream, all redacted. The raw REPL never reads these; it reads the console's bytes from a
 * cursor of its own.
 */
final class ConsoleRecorder implements AutoCloseable {
    private final LogFile log;
    private final EventStream<Line> lines = new EventStream<>();
    // Bytes of the line being received: decoded only when whole, so a UTF-8 character split across
    // two reads is not mangled.
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Clock clock;
    private volatile Secrets secrets;

    // Raw bytes are logged a line at a time, so a credential is never split across two writes.
    private final ByteArrayOutputStream rawPending = new ByteArrayOutputStream();
    private final OutputStream rawLog;
    private final Path rawPath;

    ConsoleRecorder(Path logDir, String name, Clock clock, Secrets secrets) throws IOException {
        this.clock = clock;
        this.secrets = secrets;
        this.rawPath = logDir.resolve(name + ".raw.log");
        this.rawLog = Files.newOutputStream(rawPath);
        this.log = new LogFile(logDir.resolve(name + ".log"), clock);
    }

    Path rawPath() {
        return rawPath;
    }

    void redactWith(Secrets secrets) {
        this.secrets = secrets;
    }

    EventStream<Line> lines() {
        return lines;
    }

    Path path() {
        return log.path();
    }

    /** Takes the bytes as the reader got them; every '\n' completes a line ('\r' is dropped). */
    synchronized void take(byte[] chunk, int n) {
        for (int i = 0; i < n; i++) {
            byte b = chunk[i];
            rawPending.write(b);
            if (b == '\n' || rawPending.size() >= 16384) {
                flushRaw();
            }
            if (b == '\n') {
                Line line = new Line(clock.now(), secrets.redact(partial.toString(StandardCharsets.UTF_8)));
                log.write(line.nanos(), line.text());
                lines.add(line);
                partial.reset();
            } else if (b != '\r') {
                partial.write(b);
            }
        }
    }

    /** A last line without its '\n' (the board stopped mid-line) goes to the log too. */
    synchronized void flush() {
        if (partial.size() > 0) {
            log.write(clock.now(), secrets.redact(partial.toString(StandardCharsets.UTF_8)));
            partial.reset();
        }
        flushRaw();
    }

    private void flushRaw() {
        try {
            rawLog.write(secrets.redact(rawPending.toByteArray()));
            rawLog.flush();
        } catch (IOException e) {
            // the lines still reach the run; a full disk must not stop it
        }
        rawPending.reset();
    }

    @Override
    public synchronized void close() {
        flush();
        log.close();
        try {
            rawLog.close();
        } catch (IOException e) {
            // nothing more to save
        }
    }
}
