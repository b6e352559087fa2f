package io.esp32hil.backend;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.LineLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A WebSocket server running in a container, started with Testcontainers: it waits until the
 * server's port listens, records the container's output into {@code backend.log} on the run's clock,
 * passes server actions to the container's control port, and is stopped however the run ends.
 *
 * <pre>{@code
 * ContainerBackend.check(spec);                       // Docker up, image present: before any board starts
 * try (ContainerBackend backend = ContainerBackend.start(spec, logDir, clock)) {
 *     backend.log().onLine(line -> ...);
 *     String url = "ws://" + backend.address().getHostString() + ":" + backend.address().getPort() + spec.path();
 *     backend.command("close", Map.of("code", 1001, "reason", "bye"));
 * }
 * }</pre>
 */
public final class ContainerBackend implements Backend {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final int TAIL = 15;

    private final BackendSpec spec;
    private final GenericContainer<?> container;
    private final LineLog log;

    private ContainerBackend(BackendSpec spec, GenericContainer<?> container, LineLog log) {
        this.spec = spec;
        this.container = container;
        this.log = log;
    }

    /**
     * What can be known before a run starts: Docker answers, and the image is on this machine or can
     * be pulled. Throws {@link BackendException} saying which, and how to fix it.
     */
    public static void check(BackendSpec spec) {
        if (!dockerAvailable()) {
            throw new BackendException("backend '" + spec.name() + "' runs in a container, but Docker is not available"
                    + " (is the engine running? ci/docker-setup.sh installs and starts one on Debian)", false);
        }
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(spec.image()).exec();
            return;
        } catch (NotFoundException e) {
            // not here: try a registry
        }
        try {
            docker.pullImageCmd(spec.image()).start().awaitCompletion(5, TimeUnit.MINUTES);
            docker.inspectImageCmd(spec.image()).exec();
        } catch (RuntimeException e) {
            throw new BackendException("backend '" + spec.name() + "'" + where(spec) + ": image '" + spec.image()
                    + "' is not on this machine and could not be pulled (" + firstLine(e.getMessage()) + ")."
                    + " The project's images are built by ci/docker-setup.sh; for your own, docker build -t " + spec.image() + " .", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while pulling " + spec.image(), false);
        }
    }

    /** True when a Docker engine answers (Testcontainers' own check). */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts the container and waits until its port listens; its output goes to logDir/backend.log from the first line. */
    @SuppressWarnings("resource") // closed by close(), or below when the start fails
    public static ContainerBackend start(BackendSpec spec, Path logDir, Clock clock) {
        LineLog log = new LineLog(logDir.resolve("backend.log"), clock);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withImagePullPolicy(name -> false) // check() already found or pulled it
                .withStartupAttempts(1)
                .withEnv(spec.env())
                .withLogConsumer((OutputFrame frame) -> {
                    if (frame.getType() != OutputFrame.OutputType.END) {
                        log.add(frame.getUtf8StringWithoutLineEnding());
                    }
                })
                .waitingFor(Wait.forListeningPort().withStartupTimeout(spec.startupTimeout()));
        c = spec.controlPort() > 0 ? c.withExposedPorts(spec.port(), spec.controlPort()) : c.withExposedPorts(spec.port());
        if (!spec.command().isEmpty()) {
            c = c.withCommand(spec.command().toArray(String[]::new));
        }
        try {
            c.start();
            awaitListeningInside(c, spec);
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            c.stop();
            log.close();
            String tail = String.join("\n", log.tail(TAIL).stream().map(l -> "  | " + l).toList());
            String what = why.contains("exited") || why.contains("is not running") ? "its container exited at start"
                    : why.contains("Timed out") ? "port " + spec.port() + " did not open within " + spec.startupTimeout().toSeconds() + " s"
                    : "its container could not start (" + firstLine(why) + ")";
            throw new BackendException("backend '" + spec.name() + "' (" + spec.image() + "): " + what
                    + (tail.isEmpty() ? "; it printed nothing" : "; its last log lines:\n" + tail) + "\nfull log: " + log.path(), false);
        }
        log.add("harness: container " + c.getContainerId().substring(0, 12) + " of " + spec.image() + " listens; port " + spec.port()
                + " is " + c.getHost() + ":" + c.getMappedPort(spec.port()) + " on this machine");
        return new ContainerBackend(spec, c, log);
    }

    /**
     * Testcontainers' port check can pass through Docker's port proxy, which accepts connections before
     * (or without) the server listening, and it ignores its own inside check's answer: a container that
     * exits at start could pass for a listening one. So the port must be seen in LISTEN state inside the
     * container while it still runs. An image without a shell or grep keeps Testcontainers' word.
     */
    private static void awaitListeningInside(GenericContainer<?> c, BackendSpec spec) {
        String listening = String.format("grep -qiE ':%04X [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null", spec.port());
        long deadline = System.nanoTime() + spec.startupTimeout().toNanos();
        while (true) {
            int code;
            try {
                code = c.isRunning() ? c.execInContainer("/bin/sh", "-c", listening).getExitCode() : -1;
            } catch (IOException | RuntimeException e) {
                code = c.isRunning() ? 1 : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the container's port", e);
            }
            if (code == 0 || code == 126 || code == 127) {
                return;
            }
            if (code == -1) {
                throw new IllegalStateException("the container exited before its port " + spec.port() + " listened");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for port " + spec.port() + " to listen inside the container");
            }
            try {
                Thread.sleep(100); // polling the container's own socket table, bounded by the start-up timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the container's port", e);
            }
        }
    }

    public BackendSpec spec() {
        return spec;
    }

    public LineLog log() {
        return log;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String url(String host, int port) {
        return io.esp32hil.server.TestServer.url(false, host, port, spec.path());
    }

    @Override
    public void onLog(java.util.function.Consumer<io.esp32hil.observe.Line> listener) {
        log.onLine(listener);
    }

    /** Its last log lines, each marked as the container's. */
    @Override
    public List<String> tail(int n) {
        return log.tail(n).stream().map(l -> "  | " + l).toList();
    }

    /** Where the server's WebSocket port is reached from this machine. */
    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(container.getHost(), container.getMappedPort(spec.port()));
    }

    public boolean supports(String action) {
        return spec.commands().containsKey(action);
    }

    /** Sends a server action's command line, its template filled from values, to the control port. */
    @Override
    public String command(String action, Map<String, ?> values) {
        String template = spec.commands().get(action);
        if (template == null) {
            throw new BackendException("backend '" + spec.name() + "' has no command for '" + action + "'", true);
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder line = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            m.appendReplacement(line, Matcher.quoteReplacement(v == null ? "" : String.valueOf(v)));
        }
        String text = m.appendTail(line).toString().strip();
        try (Socket s = new Socket(container.getHost(), container.getMappedPort(spec.controlPort()))) {
            OutputStream out = s.getOutputStream();
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new BackendException("backend '" + spec.name() + "': its control port " + spec.controlPort() + " did not take '" + text + "': "
                    + e.getMessage(), false);
        }
        return text;
    }

    @Override
    public void close() {
        try {
            container.stop();
        } finally {
            log.close();
        }
    }

    private static String where(BackendSpec spec) {
        return spec.file() == null ? "" : " (" + spec.file() + ")";
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" / ");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
