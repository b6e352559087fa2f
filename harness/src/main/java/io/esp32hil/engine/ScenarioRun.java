package io.esp32hil.engine;

import io.esp32hil.backend.Backend;
import io.esp32hil.backend.BackendSpec;
import io.esp32hil.device.BenchControl;
import io.esp32hil.device.Device;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.EventStream;
import io.esp32hil.observe.Line;
import io.esp32hil.observe.Waits;
import io.esp32hil.rig.Rig;
import io.esp32hil.rig.Target;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.steps.StepContext;
import io.esp32hil.scenario.steps.StepFailed;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.ServerEvent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One scenario running on one board: it powers the board on with the firmware (or deploys it), runs
 * the steps in order, and is what every step sees of the run. Tripwires end any wait the moment
 * their pattern appears.
 */
final class ScenarioRun implements StepContext {
    static final int TAIL = 15;
    private static final java.time.Duration TRIPPED_QUIET = java.time.Duration.ofMillis(200);
    private static final java.time.Duration TRIPPED_MOST = java.time.Duration.ofSeconds(1);

    /** The board went away under the scenario (its simulator died): an infrastructure error, not the firmware's failure. */
    static final class BoardGone extends RuntimeException {
        BoardGone(String message) {
            super(message);
        }
    }

    final Scenario scenario;
    private final FirmwareProfile profile;
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
    final Rig rig;
    private final Map<String, Long> marks = new LinkedHashMap<>();
    final Map<String, Double> metrics = new LinkedHashMap<>();
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
            Path logDir, Clock clock) {
        this.scenario = scenario;
        this.profile = profile;
        this.target = target;
        this.logDir = logDir;
        this.clock = clock;
        this.timeline = new Timeline(clock.origin(), secrets);
        this.waits = new Waits(clock);
        waits.failFast(this::checkTripwire);
        this.serial = lines.cursor(waits);
        this.backendLog = backendLines.cursor(waits);
        this.rig = Rig.builder().logDir(logDir).clock(clock).secrets(secrets).backend(backend).server(scenario.server()).proxy(scenario.usesProxy())
                .board(target, scenario.name()).firmware(profile.layout(), firmwareDir, baseConfig, scenario.config(), scenario.app()).beforeBoardOff(this::keepFlash)
                .build();
        rig.notes().subscribe(l -> timeline.add(l.nanos(), "harness", l.text(), null));
        rig.serial().subscribe(l -> onSerialLine(l.nanos(), l.text()));
    }

    void execute() throws InterruptedException {
        if (target.network().isEmpty()) {
            rebootsExpected.incrementAndGet(); // the deployment restarts the board
        }
        rig.start();
        device = rig.device();
        Backend backend = rig.backend().orElseThrow();
        backend.testServer().ifPresentOrElse(server -> server.log().onEvent(e -> {
            timeline.add(e.nanos(), "server", e.describe(), e.kind().id());
            backendLines.add(new Line(e.nanos(), e.describe()));
        }), () -> backend.onLog(line -> {
            timeline.add(line.nanos(), "backend", line.text(), null);
            backendLines.add(line);
        }));
        rig.proxyLog().ifPresent(p -> p.onLine(line -> timeline.add(line.nanos(), "proxy", line.text(), null)));
        rig.backendStartMs().ifPresent(ms -> metrics.put("backend_start_ms", ms));
        armed = true;
        stepsStarted = clock.now();
        runSteps(scenario.steps());
        checkTripwire();
        stepsEnded = clock.now();
    }

    void close() {
        rig.close();
    }

    /** The board's flash into the report, redacted, as the scenario left it. */
    private void keepFlash(Device d) {
        d.temporaryFlash().ifPresent(flash -> {
            try {
                FlashCopy.save(flash, logDir.resolve("flash"), secrets, rig.shownConfig());
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                note("the board's flash could not be copied into the report: " + e.getMessage());
            }
        });
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

    private void checkTripwire() throws InterruptedException {
        if (tripped != null) {
            // what set it off is usually the first line of several (a traceback): the message shows them all
            lines.awaitQuiet(clock, TRIPPED_QUIET, TRIPPED_MOST);
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
        return rig.substitute(s);
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
            serverEvents = backend().testServer().orElseThrow().log().stream().cursor(waits);
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
        rig.describeLast(sb, TAIL, logDir, device == null ? logDir : device.console().logPath());
        return sb.toString();
    }

    @Override
    public Backend backend() {
        return rig.backend().orElseThrow();
    }

    @Override
    public FaultProxy proxy() {
        return rig.proxy().orElseThrow();
    }

}
