package io.esp32hil.firmware;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** firmware/tools/test_server.py run by python3: its log lines, waited on, and its console commands. */
final class PythonTestServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on wss?://[^:]+:(\\d+)/");

    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new ArrayList<>();
    private final Path log;
    private int cursor;
    private final int port;

    private PythonTestServer(int port, Path log, List<String> extra) {
        this.log = log;
        List<String> cmd = new ArrayList<>(List.of(python(), Firmware.DIR.resolve("tools/test_server.py").toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--interval", "0"));
        cmd.addAll(extra);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start python3 (needed for firmware/tools/test_server.py): " + e.getMessage(), e);
        }
        stdin = process.getOutputStream();
        Thread reader = new Thread(this::pump, "test-server-log");
        reader.setDaemon(true);
        reader.start();
        Matcher m = LISTENING.matcher(awaitLine(LISTENING, Duration.ofSeconds(15)));
        this.port = m.find() ? Integer.parseInt(m.group(1)) : port;
    }

    static PythonTestServer start(int port, Path log) {
        return new PythonTestServer(port, log, List.of());
    }

    /** Serves wss:// with the given PEM certificate and key. */
    static PythonTestServer startTls(Path cert, Path key, Path log) {
        return new PythonTestServer(0, log, List.of("--cert", cert.toString(), "--key", key.toString()));
    }

    private static String python() {
        return System.getProperty("hil.python", "python3");
    }

    int port() {
        return port;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                }
                Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // the process ended: nothing more to read
        }
    }

    /** Sends a console line: text to every client, or a command such as /close 1001 bye, /drop, /mute. */
    void command(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the test server is not running", e);
        }
    }

    /** Waits for a log line after the last one matched; returns it (the cursor moves past it). */
    String awaitLine(Pattern pattern, Duration timeout) {
        String[] found = new String[1];
        await().alias("test server log line matching " + pattern + " (log: " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    synchronized (lines) {
                        for (int i = cursor; i < lines.size(); i++) {
                            if (pattern.matcher(lines.get(i)).find()) {
                                cursor = i + 1;
                                found[0] = lines.get(i);
                                return true;
                            }
                        }
                        return false;
                    }
                });
        return found[0];
    }

    String awaitLine(String regex, Duration timeout) {
        return awaitLine(Pattern.compile(regex), timeout);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                command("/quit");
                process.waitFor(3, TimeUnit.SECONDS);
            } catch (UncheckedIOException e) {
                // stdin already closed: the process is going anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }
}
