package io.esp32hil.sim;

import io.esp32hil.console.SerialConsole;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated ESP32 in its own process (the simulator from {@code simulator/}), with its serial
 * console on the process's stdio and, when asked for, its bench control channel. The process is
 * stopped on {@link #close()} and, should the JVM end first, by a shutdown hook; the simulator also
 * ends by itself when its stdin closes, so it cannot outlive the harness.
 */
public final class SimulatedBoard implements AutoCloseable {
    private static final Pattern CONTROL_PORT = Pattern.compile("esp32sim: control port (\\d+)");

    private final Process process;
    private volatile boolean closing;
    private final SerialConsole console;
    private final Thread shutdownHook;
    private final CompletableFuture<Integer> controlPort = new CompletableFuture<>();
    private final StringBuffer stderr = new StringBuffer();
    private ControlClient control;

    SimulatedBoard(SimulatedBoardBuilder b) {
        String node = NodeRuntime.require();
        Path bin = b.simulatorDir.resolve("bin").resolve("esp32sim");
        if (!Files.isRegularFile(bin)) {
            throw new SimulatorException("the simulator is not at " + bin + ": set -Dhil.simulator.dir to the project's simulator folder");
        }
        if (!Files.isDirectory(b.simulatorDir.resolve("node_modules"))) {
            throw new SimulatorException("the simulator's packages are not installed: run 'npm ci' in " + b.simulatorDir
                    + " (mvn does this for you)");
        }
        // supervised: a Ctrl-C reaches the simulator too, but stopping the board is this JVM's to do
        List<String> cmd = new ArrayList<>(List.of(node, bin.toString(), "--supervised", "--flash", b.flashDir.toString()));
        cmd.addAll(b.options());
        try {
            Files.createDirectories(b.logDir);
            this.process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new SimulatorException("cannot start the simulator (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
        // SIGTERM first, so the simulator powers off in order (and removes a temporary flash), then for sure
        this.shutdownHook = new Thread(() -> {
            process.destroy();
            if (awaitExit(Duration.ofSeconds(2)) < 0) {
                process.destroyForcibly();
            }
        }, "stop-simulator-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.console = SerialConsole.open(b.name, process.getInputStream(), process.getOutputStream(), b.logDir, b.clock, b.secrets);
        Thread errReader = new Thread(() -> readStderr(b.logDir.resolve(b.name + ".simulator.log")), "sim-stderr");
        errReader.setDaemon(true);
        errReader.start();
        if (!b.control) {
            controlPort.complete(-1);
        }
    }

    public static SimulatedBoardBuilder builder() {
        return new SimulatedBoardBuilder();
    }

    private void readStderr(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                stderr.append(line).append('\n');
                out.write(line + "\n");
                out.flush();
                Matcher m = CONTROL_PORT.matcher(line);
                if (m.find()) {
                    controlPort.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            controlPort.complete(-1);
        }
    }

    public SerialConsole console() {
        return console;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Why the simulator process ended by itself ("the simulator exited, signal 9"), or empty while it runs or once close() began. */
    public java.util.Optional<String> exited() {
        if (closing || process.isAlive()) {
            return java.util.Optional.empty();
        }
        int code = process.exitValue();
        // on Unix a process killed by signal N reports 128 + N
        String how = code > 128 && code < 160 ? "signal " + (code - 128) : "exit code " + code;
        // its last word, unless that is one of its announcements
        String said = stderr.toString().lines().filter(l -> !l.startsWith("esp32sim: control port") && !l.startsWith("esp32sim: console on"))
                .reduce((x, y) -> y).orElse("").strip();
        return java.util.Optional.of("the simulator exited, " + how + (said.isEmpty() ? "" : " (it said: " + said + ")"));
    }

    /** The bench control channel (the board must have been built with {@code withControl()}). */
    public synchronized ControlClient control() {
        if (control == null) {
            int port;
            try {
                port = controlPort.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new SimulatorException("the simulator did not announce its control port; its stderr:\n" + stderr, e);
            }
            if (port < 0) {
                throw new SimulatorException("this board has no control channel (build it with withControl()); simulator stderr:\n" + stderr);
            }
            control = ControlClient.connect(port);
        }
        return control;
    }

    /** What the simulator printed on stderr (its own diagnostics, never the board's console). */
    public String diagnostics() {
        return stderr.toString();
    }

    /** Waits for the process to end by itself; returns its exit code, or -1 if it is still running. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        closing = true;
        if (control != null) {
            control.close();
        }
        // Power off at once (SIGTERM: the simulator stops the board and removes a temporary flash).
        // Closing stdin would also do, but only after a grace for a program still printing: two
        // seconds a scenario. The console closes after the process, so its last output is logged.
        process.destroy();
        if (awaitExit(Duration.ofSeconds(5)) < 0) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(5));
        }
        console.awaitEnd(Duration.ofSeconds(2)); // what the board printed last is still in the pipe
        console.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

}
