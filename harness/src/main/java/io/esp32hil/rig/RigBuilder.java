package io.esp32hil.rig;

import io.esp32hil.backend.Backend;
import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.BuiltInBackend;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.device.Device;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.net.ProxyLog;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.LineLog;
import io.esp32hil.scenario.FirmwareLayout;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.Behaviour;
import io.esp32hil.server.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a {@link Rig} is put together: which board (a target to open one from, or one already open),
 * which server (the built-in one with its set-up, a container backend, or a URL outside the
 * testbed), whether the fault proxy sits in front, and the firmware and its settings.
 */
public final class RigBuilder {
    private Path logDir = Path.of("target", "hil-rig");
    private Clock clock;
    private Secrets secrets = new Secrets();
    private BackendSpec backend = BackendSpec.BUILT_IN;
    private Scenario.ServerSetup server = Scenario.ServerSetup.DEFAULT;
    private boolean proxy;
    private String externalUrl;
    private Target target;
    private String boardName = "board";
    private Device device;
    private FirmwareLayout layout;
    private Path firmwareDir;
    private Map<String, Object> baseConfig = Map.of();
    private Map<String, Object> settings = Map.of();
    private String app;
    private Consumer<Device> beforeBoardOff = d -> { };

    RigBuilder() {}

    public RigBuilder logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    /** The run's clock; every log of the testbed counts from its zero. */
    public RigBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Credentials to redact in every log; the board's Wi-Fi password and secret settings join them. */
    public RigBuilder secrets(Secrets secrets) {
        this.secrets = secrets;
        return this;
    }

    /** The server: {@link BackendSpec#BUILT_IN} (the default) or a container backend. */
    public RigBuilder backend(BackendSpec spec) {
        this.backend = spec;
        return this;
    }

    /** How the built-in server starts (TLS, path, subprotocols, echo). */
    public RigBuilder server(Scenario.ServerSetup setup) {
        this.server = setup;
        return this;
    }

    /** Puts the fault proxy in front of the server (a container backend always has it). */
    public RigBuilder proxy(boolean on) {
        this.proxy = on;
        return this;
    }

    /** A server outside the testbed: the board is given this URL and the testbed starts no server. */
    public RigBuilder externalServer(String url) {
        this.externalUrl = url;
        return this;
    }

    /** The board comes from this target, opened under the name (its logs are name.log and name.raw.log). */
    public RigBuilder board(Target target, String name) {
        this.target = target;
        this.boardName = name;
        return this;
    }

    /** A board already open (a bench board found by the CLI); the testbed deploys to it and closes it. */
    public RigBuilder board(Device opened) {
        this.device = opened;
        return this;
    }

    /**
     * The firmware: its files as the profile lays them out in the folder, the settings every run
     * starts from, the run's own (${name} values filled in), and another main.py.
     */
    public RigBuilder firmware(FirmwareLayout layout, Path dir, Map<String, Object> base, Map<String, Object> settings, String app) {
        this.layout = layout;
        this.firmwareDir = dir;
        this.baseConfig = base;
        this.settings = settings;
        this.app = app;
        return this;
    }

    /** What to keep of a board that has a temporary flash before it powers off (the report's copy). */
    public RigBuilder beforeBoardOff(Consumer<Device> keep) {
        this.beforeBoardOff = keep;
        return this;
    }

    /** The testbed, not started yet: {@link Rig#start()} starts it, {@link Rig#close()} stops what has started. */
    public Rig build() {
        return new Rig(clock != null ? clock : Clock.wall(), secrets, beforeBoardOff, this::startInto);
    }

    /** Starts everything; what started is stopped again if a later part fails. */
    private void startInto(Rig rig) {
        try {
            Firmware firmware = firmwareDir == null ? null : new Firmware(layout, firmwareDir, baseConfig, settings, app);
            Optional<Device.Network> known = device == null && target != null ? target.network() : Optional.empty();
            if (known.isPresent()) {
                // A simulated board: its network is known before it exists, so it powers on with the
                // whole firmware in its flash and boots once, as a board flashed with it does.
                Map<String, byte[]> files = serve(rig, known.get(), firmware);
                rig.open(target, boardName, logDir, files);
                rig.note("powered on with the firmware in its flash (" + files.size() + " files)");
                return;
            }
            if (device != null) {
                rig.watch(device);
            } else if (target != null) {
                rig.open(target, boardName, logDir, Map.of()); // a bench board holds what it holds; the deployment writes what differs
            }
            Device.Network net = rig.device != null ? rig.device.network() : new Device.Network("", "", "127.0.0.1");
            Map<String, byte[]> files = serve(rig, net, firmware);
            if (rig.device != null && firmware != null) {
                rig.deploy(files);
            }
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    /** Starts the server side for a board on this network and returns the firmware written for it (nothing without firmware). */
    private Map<String, byte[]> serve(Rig rig, Device.Network net, Firmware firmware) {
        String boardHost = net.serverHost();
        if (externalUrl != null) {
            rig.url = externalUrl;
        } else {
            // A board on this machine reaches loopback; a bench board needs the LAN interface.
            String bind = boardHost.startsWith("127.") || boardHost.equals("localhost") ? "127.0.0.1" : "0.0.0.0";
            Backend b = startBackend(rig, bind, boardHost);
            rig.backend = b;
            if (proxy || !backend.builtIn()) {
                LineLog proxyLog = new LineLog(logDir.resolve("proxy.log"), rig.clock);
                proxyLog.redactWith(secrets);
                rig.proxyLog = proxyLog;
                rig.proxy = FaultProxy.start(bind, 0, null, b.address(), ProxyLog.lines(proxyLog::add));
            }
            rig.url = b.url(boardHost, rig.proxy != null ? rig.proxy.port() : b.address().getPort());
            rig.note("the board reaches " + (backend.builtIn() ? "the test server" : "backend " + backend.name()) + " at " + rig.url
                    + (rig.proxy != null ? " (through the fault proxy)" : ""));
        }
        if (firmware == null) {
            return Map.of();
        }
        rig.firmware = firmware.write(net, rig.url, backend.name(), rig.backend == null ? Optional.empty() : rig.backend.tlsFingerprint(), secrets);
        return rig.firmware.files();
    }

    private Backend startBackend(Rig rig, String bind, String boardHost) {
        if (backend.builtIn()) {
            TestServer s = TestServer.builder().host(bind).advertisedHost(boardHost).logDir(logDir).clock(rig.clock)
                    .tls(server.tls()).path(server.path()).subprotocols(server.subprotocols()).behaviour(new Behaviour().echo(server.echo())).start();
            s.log().redactWith(secrets);
            return new BuiltInBackend(s);
        }
        long t0 = rig.clock.now();
        ContainerBackend c = ContainerBackend.start(backend, logDir, rig.clock);
        c.log().redactWith(secrets);
        rig.backendStartMs = Math.round((rig.clock.now() - t0) / 1e6); // to a listening port
        return c;
    }
}
