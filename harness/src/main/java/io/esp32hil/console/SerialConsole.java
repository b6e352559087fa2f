package io.esp32hil.console;

import io.esp32hil.observe.Clock;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.Line;
import io.esp32hil.secrets.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A board's serial console over any pair of streams (a simulator's stdio, a serial port, a
 * wokwi-cli process). Every byte is recorded ({@link ConsoleRecorder}) from the moment the console
 * opens, before anything is sent, so boot output is never lost. The raw REPL's waits match the bytes
 * from a cursor that each match consumes: nothing matches twice, and nothing that arrives between
 * two waits is missed.
 */
public final class SerialConsole implements AutoCloseable {
    private static final int TAIL_LINES = 15;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f]"); // all but tab

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final ConsoleRecorder recorder;
    private final Clock clock;
    private final Object lock = new Object();
    private final Thread reader;
    private byte[] buffer = new byte[8192];
    private int size;
    private int cursor;
    private boolean ended;
    private IOException readError;
    private volatile boolean closing;
    // Every log and listener sees lines with the run's credentials redacted; waits on the byte
    // buffer (the raw REPL's) see what the board sent.
    private volatile Secrets secrets;

    /** Told of every complete line as it arrives (on the reader thread), with its time on the run's clock. */
    @FunctionalInterface
    public interface LineListener {
        void onLine(long nanos, String line);
    }

    private SerialConsole(String name, InputStream in, OutputStream out, Path logDir, Clock clock, Secrets secrets) throws IOException {
        this.name = name;
        this.in = in;
        this.out = out;
        this.secrets = secrets;
        this.clock = clock;
        Files.createDirectories(logDir);
        this.recorder = new ConsoleRecorder(logDir, name, clock, secrets);
        this.reader = new Thread(this::readLoop, "serial-" + name);
        this.reader.setDaemon(true);
    }

    /** Opens a console and starts recording at once; logs go to {@code logDir/<name>.raw.log} and {@code <name>.log}. */
    public static SerialConsole open(String name, InputStream in, OutputStream out, Path logDir) {
        return open(name, in, out, logDir, Clock.wall(), new Secrets());
    }

    /**
     * As {@link #open(String, InputStream, OutputStream, Path)}, its lines stamped on the run's clock
     * and the secrets redacted from the first byte read.
     */
    public static SerialConsole open(String name, InputStream in, OutputStream out, Path logDir, Clock clock, Secrets secrets) {
        try {
            SerialConsole console = new SerialConsole(name, in, out, logDir, clock, secrets);
            console.reader.start();
            return console;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create serial logs in " + logDir, e);
        }
    }

    public String name() {
        return name;
    }

    /** From now on, the run's credentials are redacted in the logs, the lines listeners get, and failure texts. */
    public void redactWith(Secrets secrets) {
        this.secrets = secrets;
        recorder.redactWith(secrets);
    }

    /** Registers a listener and first replays every line already received, so none is missed. */
    public void onLine(LineListener listener) {
        recorder.lines().subscribe(l -> listener.onLine(l.nanos(), l.text()));
    }

    /** The board's lines as they arrive, stamped and redacted. */
    public EventStream<Line> lines() {
        return recorder.lines();
    }

    public Path logPath() {
        return recorder.path();
    }

    public Path rawLogPath() {
        return recorder.rawPath();
    }

    private void readLoop() {
        byte[] chunk = new byte[4096];
        try {
            for (;;) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    record(chunk, n);
                }
            }
        } catch (IOException e) {
            if (!closing) {
                synchronized (lock) {
                    readError = e;
                }
            }
        } finally {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
            recorder.flush();
        }
    }

    private void record(byte[] chunk, int n) {
        // lines first: whoever a byte wait wakes (the raw REPL) finds the lines of those bytes delivered
        recorder.take(chunk, n);
        synchronized (lock) {
            if (size + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
            }
            System.arraycopy(chunk, 0, buffer, size, n);
            size += n;
            lock.notifyAll();
        }
    }

    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to serial console '" + name + "'", e);
        }
    }

    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until {@code pattern} matches the output after the cursor and moves the cursor past the
     * match. Patterns see the output as UTF-8 text.
     */
    public ConsoleMatch expect(Pattern pattern, Duration timeout) {
        // Matching runs on bytes as Latin-1 so that offsets are byte offsets; a UTF-8 pattern is
        // transcoded the same way, and the match is decoded back.
        Pattern bytewise = Pattern.compile(latin1(pattern.pattern()), pattern.flags());
        long deadline = clock.deadline(timeout);
        synchronized (lock) {
            for (;;) {
                String hay = new String(buffer, cursor, size - cursor, StandardCharsets.ISO_8859_1);
                Matcher m = bytewise.matcher(hay);
                if (m.find()) {
                    List<String> groups = new ArrayList<>();
                    for (int g = 0; g <= m.groupCount(); g++) {
                        groups.add(m.group(g) == null ? null : utf8(m.group(g)));
                    }
                    String before = utf8(hay.substring(0, m.start()));
                    cursor += m.end();
                    return new ConsoleMatch(groups, before);
                }
                awaitMore(deadline, timeout, "/" + pattern.pattern() + "/");
            }
        }
    }

    public ConsoleMatch expect(String literal, Duration timeout) {
        return expect(Pattern.compile(Pattern.quote(literal)), timeout);
    }

    /** Reads exactly {@code n} bytes after the cursor. */
    public byte[] readBytes(int n, Duration timeout) {
        long deadline = clock.deadline(timeout);
        synchronized (lock) {
            while (size - cursor < n) {
                awaitMore(deadline, timeout, n + " more byte(s)");
            }
            byte[] result = Arrays.copyOfRange(buffer, cursor, cursor + n);
            cursor += n;
            return result;
        }
    }

    /** Bytes before the next {@code marker}; the cursor moves past the marker. */
    public byte[] readUntil(byte marker, Duration timeout) {
        long deadline = clock.deadline(timeout);
        synchronized (lock) {
            for (;;) {
                for (int i = cursor; i < size; i++) {
                    if (buffer[i] == marker) {
                        byte[] result = Arrays.copyOfRange(buffer, cursor, i);
                        cursor = i + 1;
                        return result;
                    }
                }
                awaitMore(deadline, timeout, String.format("byte 0x%02x", marker));
            }
        }
    }

    /** True when a byte is waiting after the cursor. */
    public boolean hasPending() {
        synchronized (lock) {
            return size > cursor;
        }
    }

    /** Skips everything received so far (what a wait after this sees must be new). */
    public void skipPending() {
        synchronized (lock) {
            cursor = size;
        }
    }

    private void awaitMore(long deadline, Duration timeout, String what) {
        if (readError != null) {
            throw new ConsoleTimeoutException(describe("serial console '" + name + "' failed (" + readError.getMessage()
                    + ") while waiting for " + what));
        }
        if (ended) {
            throw new ConsoleTimeoutException(describe("serial console '" + name + "' closed while waiting for " + what));
        }
        long left = deadline - clock.now();
        if (left <= 0) {
            throw new ConsoleTimeoutException(describe(String.format(Locale.ROOT,
                    "serial console '%s': no %s within %.1f s", name, what, timeout.toMillis() / 1000.0)));
        }
        try {
            lock.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleTimeoutException("interrupted while waiting for " + what + " on serial console '" + name + "'");
        }
    }

    private String describe(String headline) {
        StringBuilder sb = new StringBuilder(headline).append("\nlast lines:");
        for (String line : lastLines(TAIL_LINES)) {
            sb.append("\n  | ").append(line);
        }
        return sb.append("\nfull log: ").append(logPath().toAbsolutePath()).toString();
    }

    /** The last {@code n} lines received (control characters shown as escapes). */
    public List<String> lastLines(int n) {
        String all;
        synchronized (lock) {
            all = new String(buffer, Math.max(0, size - 8192), Math.min(size, 8192), StandardCharsets.UTF_8);
        }
        String[] lines = all.replace("\r", "").split("\n", -1);
        List<String> result = new ArrayList<>();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            result.add(escapeControls(secrets.redact(lines[i])));
        }
        return result;
    }

    /** Everything received so far, as UTF-8 text. */
    public String text() {
        synchronized (lock) {
            return new String(buffer, 0, size, StandardCharsets.UTF_8);
        }
    }

    private static String escapeControls(String s) {
        return CONTROL.matcher(s).replaceAll(m -> String.format("\\\\x%02x", (int) m.group().charAt(0)));
    }

    private static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Waits for the reader to see the end of the stream (after the other side closed it). */
    public boolean awaitEnd(Duration timeout) {
        long deadline = clock.deadline(timeout);
        synchronized (lock) {
            while (!ended) {
                long left = deadline - clock.now();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.close();
    }
}
