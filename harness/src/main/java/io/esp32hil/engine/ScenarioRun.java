package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.FaultProxy;
import io.esp32hil.deploy.Deployer;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.Line;
import io.esp32hil.observe.Waits;
import io.esp32hil.deploy.FirmwareBundle;
import io.esp32hil.device.BenchControl;
import io.esp32hil.device.Device;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.steps.StepContext;
import io.esp32hil.scenario.steps.StepFailed;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.ServerEvent;
import io.esp32hil.server.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scenario running on one board: it powers the board on with the firmware (or deploys it), runs
 * the steps in order, and is what every step sees of the run. Tripwires end any wait the moment
 * their pattern appears.
 */
final class ScenarioRun implements StepContext {
    static final int TAIL = 15;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    /** The board went away under the scenario (its simulator died): an infrastructure error, not the firmware's failure. */
    static final class BoardGone extends RuntimeException {
        BoardGone(String message) {
            super(message);
        }
    }

    final Scenario scenario;
    private final FirmwareProfile profile;
    private final Path firmwareDir;
    private final Map<String, Object> baseConfig;
    private final Target target;
    private final Path logDir;
    final Secrets secrets = new Secrets();
    final Timeline timeline;
    final Clock clock;
    final Waits waits;
    final EventStream<Line> lines = new EventStream<>();
    private final EventStream<Line> backendLines = new EventStream<>();
    private final Cursor<Line> serial;
    private final Cursor<Line> backendLog;
    private Cursor<ServerEvent> serverEvents;
    final ServerSide serverSide;
    private final Map<String, Long> marks = new LinkedHashMap<>();
    final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private volatile Map<String, Object> shownConfig = Map.of();
    private volatile Device device;
    private volatile String tripped;
    private volatile boolean armed;
    private volatile boolean deploying;
    // Boots that the run itself causes (power-on, the deployment's reset, reset steps): each one's
    // banner is expected once; any other boot banner is an unexpected reboot.
    private final AtomicInteger rebootsExpected = new AtomicInteger(1);
    volatile Step current;
    volatile int currentIndex;
    private int stepCounter;
    volatile long stepsStarted;
    volatile long stepsEnded;

    ScenarioRun(Scenario scenario, FirmwareProfile profile, Path firmwareDir, Map<String, Object> baseConfig, Target target, BackendSpec backend,
            Path logDir, long start) {
        this.scenario = scenario;
        this.profile = profile;
        this.firmwareDir = firmwareDir;
        this.baseConfig = baseConfig;
        this.target = target;
        this.logDir = logDir;
        this.clock = Clock.wallFrom(start);
        this.timeline = new Timeline(start, secrets);
        this.waits = new Waits(clock);
        waits.failFast(this::checkTripwire);
        this.serial = lines.cursor(waits);
        this.backendLog = backendLines.cursor(waits);
        this.serverSide = new ServerSide(scenario, backend, logDir, clock, timeline, secrets, backendLines);
    }

    void execute() throws InterruptedException {
        Optional<Device.Network> known = target.network();
        if (known.isPresent()) {
            // A simulated board: its network is known before it exists, so it powers on with the
            // whole firmware in its flash and boots once, as a board flashed with it does.
            Map<String, byte[]> files = firmwareFor(known.get());
            device = target.open(scenario.name(), logDir, files, secrets, clock);
            device.console().onLine(this::onSerialLine);
            note("powered on with the firmware in its flash (" + files.size() + " files)");
        } else {
            device = target.open(scenario.name(), logDir, FirmwareBundle.library(firmwareDir), secrets, clock);
            device.console().onLine(this::onSerialLine);
            Map<String, byte[]> files = firmwareFor(device.network());
            rebootsExpected.incrementAndGet();
            // the raw REPL's exchange (the reset's too) stays in the serial logs; the report shows the
            // deployment as one entry. The restarted board's first lines come after the reset returns.
            deploying = true;
            Deployer.Result deployed;
            try {
                deployed = Deployer.deploy(device, files);
            } finally {
                deploying = false;
            }
            note("deployed " + deployed.written().size() + " files, " + deployed.unchanged().size() + " unchanged; restarted by "
                    + deployed.reset().description());
        }
        armed = true;
        stepsStarted = clock.now();
        runSteps(scenario.steps());
        checkTripwire();
        stepsEnded = clock.now();
    }

    /** Starts the server for a board on this network and returns the firmware's files, config.py written for it. */
    private Map<String, byte[]> firmwareFor(Device.Network net) {
        secrets.add(net.password());
        // A board on this machine reaches loopback; a bench board needs the LAN interface.
        String bind = net.serverHost().startsWith("127.") || net.serverHost().equals("localhost") ? "127.0.0.1" : "0.0.0.0";
        String url = serverSide.start(bind, net.serverHost(), metrics);
        note("the board reaches " + serverSide.describe() + " at " + url + (serverSide.proxy() != null ? " (through the fault proxy)" : ""));
        vars.put("server_url", url);
        vars.put("server_host", net.serverHost());
        vars.put("server_port", String.valueOf(URI.create(url).getPort()));
        vars.put("ssid", net.ssid());
        vars.put("backend", serverSide.backendName());
        Map<String, Object> config = new LinkedHashMap<>(baseConfig);
        config.put("WIFI_SSID", net.ssid());
        config.put("WIFI_PASSWORD", net.password());
        config.put("WS_URL", url);
        serverSide.tlsFingerprint().ifPresent(f -> config.put("TLS_FINGERPRINT", f));
        scenario.config().forEach((k, v) -> config.put(k, v instanceof String s ? substitute(s) : v));
        secrets.addSettings(config);
        shownConfig = secrets.redactSettings(config);
        FirmwareBundle bundle = FirmwareBundle.of(firmwareDir).config(config);
        if (scenario.app() != null) {
            bundle.add("main.py", firmwareDir.resolve(scenario.app()));
        }
        return bundle.files();
    }

    /** The board off (its flash kept for the report first), then the server side. */
    void close() {
        Device d = device;
        if (d != null) {
            d.temporaryFlash().ifPresent(this::keepFlash); // as the scenario left it, before the board takes it away
            try {
                d.close();
            } catch (RuntimeException e) {
                note("closing the board failed: " + e.getMessage());
            }
            d.temporaryFlash().filter(java.nio.file.Files::exists).ifPresent(ScenarioRun::removeFlash);
        }
        serverSide.close();
    }

    private void keepFlash(Path flash) {
        try {
            FlashCopy.save(flash, logDir.resolve("flash"), secrets, shownConfig);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            note("the board's flash could not be copied into the report: " + e.getMessage());
        }
    }

    /** The simulator removes its temporary flash when it powers off; one it could not (killed) goes here: it holds credentials. */
    private static void removeFlash(Path flash) {
        try {
            RunFolder.deleteTree(flash);
        } catch (java.io.IOException e) {
            System.err.println("hil: cannot remove the simulated board's flash " + flash + ": " + io.esp32hil.scenario.FileErrors.plain(e));
        }
    }

    private void onSerialLine(long nanos, String line) {
        String event = null;
        for (Map.Entry<String, Pattern> e : profile.events().entrySet()) {
            if (e.getValue().matcher(line).find()) {
                event = e.getKey();
                break;
            }
        }
        if (!deploying) {
            timeline.add(nanos, "serial", line, event);
            lines.add(new Line(nanos, line));
        }
        Pattern reboot = profile.tripwires().get("unexpected_reboot");
        if (reboot != null && reboot.matcher(line).find() && rebootsExpected.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return; // a boot the run asked for
        }
        if (!armed || tripped != null) {
            return;
        }
        for (Map.Entry<String, Pattern> wire : profile.tripwires().entrySet()) {
            if (scenario.tripwires().getOrDefault(wire.getKey(), true) && wire.getValue().matcher(line).find()) {
                tripped = "tripwire '" + wire.getKey() + "' fired on the serial line: " + line;
                timeline.add(nanos, "harness", tripped, "tripwire");
            }
        }
    }

    private void checkTripwire() {
        if (tripped != null) {
            throw failure(tripped);
        }
        String gone = boardGone();
        if (gone != null) {
            throw new BoardGone(gone + failureContext());
        }
    }

    /** Why the board went away, with when, or null while it is there. */
    String boardGone() {
        Device d = device;
        return d == null ? null : d.gone().map(why -> String.format(Locale.ROOT, "%s, at %.1f s", why, clock.seconds(clock.now()))).orElse(null);
    }

    @Override
    public void runSteps(List<Step> steps) throws InterruptedException {
        for (Step step : steps) {
            checkTripwire();
            current = step;
            currentIndex = ++stepCounter;
            note("step " + currentIndex + " (line " + step.line() + "): " + step.describe());
            step.kind().run(step, this);
            if (step.kind().marksWhenDone()) {
                mark(step, clock.now());
            }
        }
    }

    @Override
    public FirmwareProfile profile() {
        return profile;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public BenchControl bench() {
        return device.bench().orElseThrow(() -> new StepFailed("this board has no bench control"));
    }

    @Override
    public void expectReboot() {
        rebootsExpected.incrementAndGet();
    }

    @Override
    public void note(String text) {
        timeline.add(clock.now(), "harness", text, null);
    }

    @Override
    public String substitute(String s) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(sb).toString();
    }

    @Override
    public void mark(Step step, long nanos) {
        String name = step.text("mark");
        if (name != null) {
            marks.put(name, nanos);
        }
    }

    @Override
    public Map<String, Long> marks() {
        return marks;
    }

    @Override
    public Map<String, Double> metrics() {
        return metrics;
    }

    @Override
    public Cursor<Line> serial() {
        return serial;
    }

    @Override
    public Cursor<Line> backendLog() {
        return backendLog;
    }

    @Override
    public Cursor<ServerEvent> serverEvents() {
        if (serverEvents == null) {
            serverEvents = serverSide.testServer().orElseThrow().log().stream().cursor(waits);
        }
        return serverEvents;
    }

    @Override
    public Waits waits() {
        return waits;
    }

    @Override
    public StepFailed failure(String message) {
        return new StepFailed(message + failureContext());
    }

    private String failureContext() {
        StringBuilder sb = new StringBuilder("\nlast serial lines:\n");
        for (Line l : lines.tail(TAIL)) {
            sb.append("  | ").append(l.text()).append('\n');
        }
        serverSide.describeLast(sb, TAIL, device == null ? logDir : device.console().logPath());
        return sb.toString();
    }

    @Override
    public Optional<TestServer> testServer() {
        return serverSide.testServer();
    }

    @Override
    public Optional<ContainerBackend> container() {
        return serverSide.container();
    }

    @Override
    public FaultProxy proxy() {
        return serverSide.proxy();
    }

}
