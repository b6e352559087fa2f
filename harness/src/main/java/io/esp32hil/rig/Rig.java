package io.esp32hil.rig;

import io.esp32hil.backend.Backend;
import io.esp32hil.deploy.Deployer;
import io.esp32hil.device.Device;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.Line;
import io.esp32hil.observe.LineLog;
import io.esp32hil.rig.Target;
import io.esp32hil.scenario.FileErrors;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One testbed: a board running the firmware, the server it talks to, and the fault proxy between
 * them when there is one. Built in Testcontainers' style ({@link #builder()}), it starts them in the
 * order they depend on each other (the server before the firmware that names its URL), writes the
 * firmware's config.py, powers the board on with it or deploys it, and stops everything in the
 * reverse order however the run ends. The CLI's runs, the JUnit extension and {@code hil deploy} all
 * build their testbed here.
 */
public final class Rig implements AutoCloseable {
    final Clock clock;
    final Secrets secrets;
    final EventStream<Line> notes = new EventStream<>();
    final EventStream<Line> serial = new EventStream<>();
    volatile Backend backend;
    volatile FaultProxy proxy;
    volatile LineLog proxyLog;
    volatile Device device;
    volatile boolean deploying;
    volatile Firmware.Written firmware;
    volatile Deployer.Result deployment;
    volatile String url;
    volatile double backendStartMs = -1;
    private final Consumer<Device> beforeBoardOff;
    private final Consumer<Rig> starter;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    Rig(Clock clock, Secrets secrets, Consumer<Device> beforeBoardOff, Consumer<Rig> starter) {
        this.clock = clock;
        this.secrets = secrets;
        this.beforeBoardOff = beforeBoardOff;
        this.starter = starter;
    }

    /** Starts the server, the proxy and the board with the firmware; on a failure, what started is stopped again. */
    public Rig start() {
        starter.accept(this);
        return this;
    }

    public static RigBuilder builder() {
        return new RigBuilder();
    }

    /** The board, when the testbed has one. */
    public Device device() {
        return device;
    }

    /** What serves the board; nothing when the board was given a URL of a server outside the testbed. */
    public Optional<Backend> backend() {
        return Optional.ofNullable(backend);
    }

    /** The fault proxy's log (proxy.log), when the testbed has a proxy. */
    public Optional<LineLog> proxyLog() {
        return Optional.ofNullable(proxyLog);
    }

    /** The fault proxy in front of the server, when the testbed has one. */
    public Optional<FaultProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** The URL the board's firmware was given. */
    public String url() {
        return url;
    }

    /** The board's serial lines, without the raw REPL's exchange while the firmware is deployed. */
    public EventStream<Line> serial() {
        return serial;
    }

    /** What the testbed did, in words, for the run's timeline. */
    public EventStream<Line> notes() {
        return notes;
    }

    /** The text with the run's values it names as ${name} filled in: server_url, server_host, server_port, ssid, backend. */
    public String substitute(String text) {
        return Firmware.substitute(text, firmware == null ? Map.of() : firmware.variables());
    }

    /** The settings the firmware got, as a report may show them (secrets replaced). */
    public Map<String, Object> shownConfig() {
        return firmware == null ? Map.of() : secrets.redactSettings(firmware.config());
    }

    /** What the deployment did, when the firmware was deployed rather than flashed at power-on. */
    public Optional<Deployer.Result> deployment() {
        return Optional.ofNullable(deployment);
    }

    /** How long the container backend took to listen, in milliseconds, when there is one. */
    public Optional<Double> backendStartMs() {
        return backendStartMs < 0 ? Optional.empty() : Optional.of(backendStartMs);
    }

    void note(String text) {
        notes.add(new Line(clock.now(), text));
    }

    /** A board's console lines go to {@link #serial()}, but for the raw REPL's while a deployment runs. */
    void watch(Device d) {
        device = d;
        d.console().onLine((nanos, line) -> {
            if (!deploying) {
                serial.add(new Line(nanos, line));
            }
        });
    }

    Device open(Target target, String name, Path logDir, Map<String, byte[]> flashed) {
        Device d = target.open(name, logDir, flashed, secrets, clock);
        watch(d);
        return d;
    }

    void deploy(Map<String, byte[]> files) {
        // the raw REPL's exchange (the reset's too) stays in the serial logs; the restarted board's
        // first lines come after the reset returns
        deploying = true;
        try {
            deployment = Deployer.deploy(device, files);
        } finally {
            deploying = false;
        }
        note("deployed " + deployment.written().size() + " files, " + deployment.unchanged().size() + " unchanged; restarted by "
                + deployment.reset().description());
    }

    /** The board off (what the caller keeps of it first), then the proxy, then the server: the order a network goes away. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // a start that failed closed it already; its caller closes it too
        }
        Device d = device;
        if (d != null) {
            d.temporaryFlash().ifPresent(f -> beforeBoardOff.accept(d)); // as the scenario left it, before the board takes it away
            try {
                d.close();
            } catch (RuntimeException e) {
                note("closing the board failed: " + e.getMessage());
            }
            d.temporaryFlash().filter(java.nio.file.Files::exists).ifPresent(Rig::removeFlash);
        }
        closeQuietly(proxy, "the fault proxy");
        closeQuietly(proxyLog, "the fault proxy's log");
        closeQuietly(backend, backend == null ? "" : "backend " + backend.name());
    }

    /** What the server side did last, for a failure's message; serialLog is the board's log beside the server's. */
    public void describeLast(StringBuilder sb, int n, Path logDir, Path serialLog) {
        Backend b = backend;
        LineLog p = proxyLog;
        boolean builtIn = b != null && b.testServer().isPresent();
        if (builtIn) {
            sb.append("last server events:\n").append(String.join("\n", b.tail(n))).append('\n');
        } else if (b != null) {
            sb.append("last backend log lines (").append(b.name()).append("):\n").append(String.join("\n", b.tail(n))).append('\n');
        }
        if (p != null) {
            sb.append("last proxy events:\n");
            p.tail(8).forEach(l -> sb.append("  | ").append(l).append('\n'));
        }
        if (builtIn && p == null) {
            sb.append("logs: ").append(serialLog).append(", ").append(b.testServer().get().log().path());
        } else if (b != null) {
            sb.append("logs: ").append(logDir);
        }
    }

    /** The last lines of the server's log, for the report. */
    public List<String> serverTail(int n) {
        Backend b = backend;
        return b == null ? List.of() : b.tail(n);
    }

    /** The simulator removes its temporary flash when it powers off; one it could not (killed) goes here: it holds credentials. */
    private static void removeFlash(Path flash) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(flash)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            System.err.println("hil: cannot remove the simulated board's flash " + flash + ": " + FileErrors.plain(e));
        } catch (java.io.UncheckedIOException e) {
            System.err.println("hil: cannot remove the simulated board's flash " + flash + ": " + FileErrors.plain(e.getCause()));
        }
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("hil: stopping " + what + " failed: " + e.getMessage());
        }
    }
}
