package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.FaultProxy;
import io.esp32hil.backend.TimestampedLog;
import io.esp32hil.deploy.Deployer;
import io.esp32hil.deploy.FirmwareBundle;
import io.esp32hil.device.BenchControl;
import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.HeapReading;
import io.esp32hil.device.WifiLoss;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.SafeName;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.Step;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.server.Behaviour;
import io.esp32hil.server.ServerEvent;
import io.esp32hil.server.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs one scenario on one board: starts its server (the built-in test server, or a backend in a
 * container behind the fault proxy) and the board, deploys the firmware with the run's config.py,
 * then performs the steps, each with its own time limit, under the scenario's overall limit.
 * Tripwires fail the scenario the moment their pattern appears. The board, the proxy and the server
 * are stopped however the scenario ends.
 */
public final class ScenarioRunner {
    /** Used, free, and the largest block the heap gives (found by allocating, as a program would). */
    private static final String HEAP_AT_THE_REPL = """
            import gc
            def _largest(hi):
                lo = 0
                while lo < hi:
                    m = (lo + hi + 1) // 2
                    try:
                        b = bytearray(m)
                        del b
                        lo = m
                    except MemoryError:
                        hi = m - 1
                return lo
            gc.collect()
            print(gc.mem_alloc(), gc.mem_free(), _largest(gc.mem_free()))
            """;
    private static final Duration DEFAULT_WITHIN = Duration.ofSeconds(15);
    private static final Duration READY_AFTER_RESTART = Duration.ofSeconds(30);
    private static final int TAIL = 15;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    private final FirmwareProfile profile;
    private final Path firmwareDir;
    private final Map<String, Object> baseConfig;

    public ScenarioRunner(FirmwareProfile profile, Path firmwareDir, Map<String, Object> baseConfig) {
        this.profile = profile;
        this.firmwareDir = firmwareDir;
        this.baseConfig = baseConfig;
    }

    /** A step that did not hold; the message says what was expected and what was seen instead. */
    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /** The board went away under the scenario (its simulator died): an infrastructure error, not the firmware's failure. */
    static final class BoardGone extends RuntimeException {
        BoardGone(String message) {
            super(message);
        }
    }

    public ScenarioResult run(Scenario scenario, Target target, Path runDir, int repetition) {
        return run(scenario, target, BackendSpec.BUILT_IN, runDir, repetition);
    }

    /** The result of a scenario that does not run, with the reason. */
    public ScenarioResult skipped(Scenario scenario, Target target, BackendSpec backend, Path runDir, int repetition, String why) {
        return new ScenarioResult(scenario.name(), scenario.description(), scenario.file(), scenario.tags(), target.name(), backend.name(), repetition,
                Status.SKIPPED, System.nanoTime(), Duration.ZERO, why, null, List.of(), List.of(), Map.of(), List.of(),
                runDir.resolve(dirName(scenario, backend, repetition)));
    }

    /** The scenario's folder in the run folder: its name (checked safe at load), {@code @backend}, {@code -repetition}. */
    private static String dirName(Scenario scenario, BackendSpec backend, int repetition) {
        if (!SafeName.isSafe(scenario.name()) || !SafeName.isSafe(backend.name())) {
            throw new IllegalArgumentException("not a name for a folder: '" + scenario.name() + "' @ '" + backend.name() + "'");
        }
        return scenario.name() + (backend.builtIn() ? "" : "@" + backend.name()) + (repetition > 0 ? "-" + repetition : "");
    }

    /** Runs the scenario against the given backend (the built-in server, or a container). */
    public ScenarioResult run(Scenario scenario, Target target, BackendSpec backend, Path runDir, int repetition) {
        long start = System.nanoTime();
        String dirName = dirName(scenario, backend, repetition);
        Path logDir = runDir.resolve(dirName);
        List<Capability> missing = scenario.needs().stream().filter(c -> !target.capabilities().contains(c)).toList();
        List<String> unsupported = backend.builtIn() ? List.of()
                : scenario.serverFeatures().stream().filter(f -> !backend.commands().containsKey(f)).toList();
        if (!missing.isEmpty() || !unsupported.isEmpty()) {
            return skipped(scenario, target, backend, runDir, repetition, !missing.isEmpty()
                    ? "target " + target.name() + " has no " + missing.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    : "backend " + backend.name() + " cannot do what the built-in server does here: " + String.join(", ", unsupported));
        }
        RunFolder.clearChild(runDir, logDir); // fresh logs, even when a run folder is reused
        Run run = new Run(scenario, target, backend, logDir, start);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scenario-" + dirName);
            t.setDaemon(true);
            return t;
        });
        Status status;
        String message = null;
        try {
            Future<?> f = worker.submit(() -> {
                run.execute();
                return null;
            });
            try {
                f.get(scenario.timeout().toMillis(), TimeUnit.MILLISECONDS);
                status = Status.PASSED;
            } catch (TimeoutException e) {
                f.cancel(true);
                status = Status.TIMED_OUT;
                message = "the scenario's time limit of " + Durations.format(scenario.timeout()) + " ran out"
                        + (run.current != null ? " during step " + run.currentIndex + " (line " + run.current.line() + ": " + run.current.describe() + ")" : "");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof StepFailed) {
                    status = Status.FAILED;
                    message = cause.getMessage();
                } else {
                    status = Status.ERROR;
                    // a backend's own message says what failed and where its log is; other causes need their type
                    String gone = run.boardGone();
                    message = cause instanceof BoardGone || cause instanceof io.esp32hil.backend.BackendException ? cause.getMessage()
                            : gone != null ? gone + "; then: " + cause.getMessage()
                            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                status = Status.ERROR;
                message = "interrupted";
            }
        } finally {
            worker.shutdownNow();
            long closing = System.nanoTime();
            run.close();
            run.closedIn = System.nanoTime() - closing;
        }
        run.addTimingMetrics();
        ScenarioResult.FailedStep failed = status == Status.PASSED || run.current == null ? null
                : new ScenarioResult.FailedStep(run.currentIndex, run.current.line(), run.current.describe());
        return new ScenarioResult(scenario.name(), scenario.description(), scenario.file(), scenario.tags(), target.name(), backend.name(), repetition,
                status, start, Duration.ofNanos(System.nanoTime() - start), run.secrets.redact(message), failed, run.lines.tail(TAIL),
                run.serverTail(), Map.copyOf(run.metrics), run.timeline.entries(), logDir);
    }

    /** The state of one scenario run. */
    private final class Run {
        final Scenario scenario;
        final Target target;
        final BackendSpec backend;
        final Path logDir;
        final Timeline timeline;
        final LogLines lines = new LogLines();
        final LogLines backendLines = new LogLines();
        final Map<String, Long> marks = new LinkedHashMap<>();
        final Map<String, Double> metrics = new LinkedHashMap<>();
        final Map<String, String> vars = new LinkedHashMap<>();
        final Secrets secrets = new Secrets();
        volatile Map<String, Object> shownConfig = Map.of();
        volatile TestServer server;
        volatile ContainerBackend container;
        volatile FaultProxy proxy;
        volatile Device device;
        volatile String tripped;
        volatile boolean armed;
        // Boots that the run itself causes (power-on, the deployment's reset, reset steps): each one's
        // banner is expected once; any other boot banner is an unexpected reboot.
        final java.util.concurrent.atomic.AtomicInteger rebootsExpected = new java.util.concurrent.atomic.AtomicInteger(1);
        volatile Step current;
        volatile int currentIndex;
        int stepCounter;
        volatile long stepsStarted;
        volatile long stepsEnded;
        volatile long waitedMs; // explicit waits of the scenario (wait, expect_no periods)
        volatile long closedIn; // nanoseconds the tear-down took (board off, proxy, server, container)

        Run(Scenario scenario, Target target, BackendSpec backend, Path logDir, long start) {
            this.scenario = scenario;
            this.target = target;
            this.backend = backend;
            this.logDir = logDir;
            this.timeline = new Timeline(start, secrets);
        }

        void execute() throws InterruptedException {
            Optional<Device.Network> known = target.network();
            if (known.isPresent()) {
                // A simulated board: its network is known before it exists, so it powers on with the
                // whole firmware in its flash and boots once, as a board flashed with it does.
                Map<String, byte[]> files = firmwareFor(known.get());
                device = target.open(scenario.name(), logDir, files, secrets);
                device.console().onLine(this::onSerialLine);
                note("powered on with the firmware in its flash (" + files.size() + " files)");
            } else {
                device = target.open(scenario.name(), logDir, FirmwareBundle.library(firmwareDir), secrets);
                device.console().onLine(this::onSerialLine);
                Map<String, byte[]> files = firmwareFor(device.network());
                note("deploying the firmware");
                rebootsExpected.incrementAndGet();
                Deployer.Result deployed = Deployer.deploy(device, files);
                note("deployed (" + deployed.written().size() + " written, " + deployed.unchanged().size() + " unchanged); restarted by "
                        + deployed.reset().description());
            }
            armed = true;
            stepsStarted = System.nanoTime();
            runSteps(scenario.steps());
            checkTripwire();
            stepsEnded = System.nanoTime();
        }

        /** Starts the server for a board on this network and returns the firmware's files, config.py written for it. */
        private Map<String, byte[]> firmwareFor(Device.Network net) {
            secrets.add(net.password());
            // A board on this machine reaches loopback; a bench board needs the LAN interface.
            String bind = net.serverHost().startsWith("127.") || net.serverHost().equals("localhost") ? "127.0.0.1" : "0.0.0.0";
            String url = startServer(bind, net.serverHost());
            note("the board reaches " + (backend.builtIn() ? "the test server" : "backend " + backend.name()) + " at " + url
                    + (proxy != null ? " (through the fault proxy)" : ""));
            vars.put("server_url", url);
            vars.put("server_host", net.serverHost());
            vars.put("server_port", String.valueOf(URI.create(url).getPort()));
            vars.put("ssid", net.ssid());
            vars.put("backend", backend.name());
            Map<String, Object> config = new LinkedHashMap<>(baseConfig);
            config.put("WIFI_SSID", net.ssid());
            config.put("WIFI_PASSWORD", net.password());
            config.put("WS_URL", vars.get("server_url"));
            if (server != null && server.certificate() != null) {
                config.put("TLS_FINGERPRINT", server.certificate().sha256());
            }
            scenario.config().forEach((k, v) -> config.put(k, v instanceof String s ? substitute(s) : v));
            secrets.addSettings(config);
            shownConfig = secrets.redactSettings(config);
            FirmwareBundle bundle = FirmwareBundle.of(firmwareDir).config(config);
            if (scenario.app() != null) {
                bundle.add("main.py", firmwareDir.resolve(scenario.app()));
            }
            return bundle.files();
        }

        /**
         * Starts the scenario's server and, for a container backend or a scenario with proxy steps, the
         * fault proxy in front of it; returns the URL the board is given.
         */
        private String startServer(String bind, String boardHost) {
            long origin = timeline.origin();
            InetSocketAddress upstream;
            if (backend.builtIn()) {
                Scenario.ServerSetup setup = scenario.server();
                server = TestServer.builder().host(bind).advertisedHost(boardHost).logDir(logDir).origin(origin)
                        .tls(setup.tls()).path(setup.path()).subprotocols(setup.subprotocols()).behaviour(new Behaviour().echo(setup.echo())).start();
                server.log().redactWith(secrets);
                server.log().onEvent(e -> {
                    timeline.add(e.nanos(), "server", e.describe(), e.kind().id());
                    backendLines.add(e.nanos(), e.describe());
                });
                if (!scenario.usesProxy()) {
                    return server.url(boardHost);
                }
                upstream = new InetSocketAddress("127.0.0.1", server.port());
            } else {
                long t0 = System.nanoTime();
                ContainerBackend c = ContainerBackend.start(backend, logDir, origin);
                container = c;
                c.log().redactWith(secrets);
                metrics.put("backend_start_ms", (double) Math.round((System.nanoTime() - t0) / 1e6)); // to a listening port
                c.log().onLine((nanos, text) -> {
                    timeline.add(nanos, "backend", text, null);
                    backendLines.add(nanos, text);
                });
                upstream = c.address();
            }
            TimestampedLog proxyLog = new TimestampedLog(logDir.resolve("proxy.log"), origin);
            proxyLog.redactWith(secrets);
            proxyLog.onLine((nanos, text) -> timeline.add(nanos, "proxy", text, null));
            proxy = FaultProxy.start(bind, upstream, proxyLog);
            return server != null ? server.url(boardHost, proxy.port()) : TestServer.url(false, boardHost, proxy.port(), backend.path());
        }

        /** The last events or log lines of whatever served the board, for the report. */
        List<String> serverTail() {
            if (server != null) {
                return server.log().tail(TAIL);
            }
            ContainerBackend c = container;
            return c == null ? List.of() : c.log().tail(TAIL).stream().map(l -> "  | " + l).toList();
        }

        void close() {
            Device d = device;
            if (d != null) {
                d.temporaryFlash().ifPresent(this::keepFlash); // as the scenario left it, before the board takes it away
                try {
                    d.close();
                } catch (RuntimeException e) {
                    note("closing the board failed: " + e.getMessage());
                }
                d.temporaryFlash().filter(java.nio.file.Files::exists).ifPresent(ScenarioRunner::removeFlash);
            }
            closeQuietly(proxy, "the fault proxy");
            closeQuietly(container, "backend " + backend.name());
            TestServer s = server;
            if (s != null) {
                s.close();
            }
        }

        /** The board's flash into the report, redacted. */
        private void keepFlash(Path flash) {
            try {
                FlashCopy.save(flash, logDir.resolve("flash"), secrets, shownConfig);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                note("the board's flash could not be copied into the report: " + e.getMessage());
            }
        }

        /**
         * How long the steps took, and the floor under that: the time the scenario's design makes the
         * board wait (reconnect delays, ping interval and timeout before a dead link is declared,
         * Wi-Fi joins and connection set-up as the profile's events report them) plus the scenario's
         * own waits. Their ratio shows how much the harness and simulator add on top.
         */
        void addTimingMetrics() {
            if (stepsStarted == 0) {
                return;
            }
            long end = stepsEnded != 0 ? stepsEnded : System.nanoTime();
            double floor = waitedMs;
            long lastAlive = stepsStarted;
            for (Timeline.Entry e : timeline.entries()) {
                if (!"serial".equals(e.source()) || e.event() == null) {
                    continue;
                }
                switch (e.event()) {
                    // a dead link can only be declared a ping interval plus a ping timeout after the last sign of life
                    case "connected", "pong_received" -> {
                        lastAlive = Math.max(lastAlive, e.nanos());
                        floor += e.nanos() > stepsStarted && e.event().equals("connected") ? number(e, "ms") : 0;
                    }
                    case "ping_timeout" -> floor += e.nanos() > stepsStarted ? (e.nanos() - lastAlive) / 1e6 : 0;
                    // the backoff delay, and the time a Wi-Fi join or a connection took (network and server waits)
                    case "reconnect_scheduled" -> floor += e.nanos() < stepsStarted ? 0 : number(e, "delay");
                    case "wifi_connected", "wifi_failed", "connect_failed" -> floor += e.nanos() < stepsStarted ? 0 : number(e, "ms");
                    default -> { }
                }
            }
            double steps = (end - stepsStarted) / 1e6;
            metrics.putIfAbsent("steps_ms", steps);
            // what the harness costs around the steps: board on, server up, firmware deployed and
            // booted; and everything stopped again
            metrics.putIfAbsent("setup_ms", (double) Math.round((stepsStarted - timeline.origin()) / 1e6));
            metrics.putIfAbsent("teardown_ms", (double) Math.round(closedIn / 1e6));
            if (floor >= 500) {
                metrics.putIfAbsent("floor_ms", floor);
                metrics.putIfAbsent("floor_ratio", Math.round(steps / floor * 100) / 100.0);
            }
        }

        private double number(Timeline.Entry e, String field) {
            String v = fields(profile.events().get(e.event()), e.text()).get(field);
            return v == null || v.isEmpty() ? 0 : Double.parseDouble(v);
        }

        private void onSerialLine(long nanos, String line) {
            String event = null;
            for (Map.Entry<String, Pattern> e : profile.events().entrySet()) {
                if (e.getValue().matcher(line).find()) {
                    event = e.getKey();
                    break;
                }
            }
            timeline.add(nanos, "serial", line, event);
            lines.add(nanos, line);
            Pattern reboot = profile.tripwires().get("unexpected_reboot");
            if (reboot != null && reboot.matcher(line).find() && rebootsExpected.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // a boot the run asked for
            }
            if (!armed || tripped != null) {
                return;
            }
            for (Map.Entry<String, Pattern> wire : profile.tripwires().entrySet()) {
                if (!scenario.tripwires().getOrDefault(wire.getKey(), true) || !wire.getValue().matcher(line).find()) {
                    continue;
                }
                tripped = "tripwire '" + wire.getKey() + "' fired on the serial line: " + line;
                timeline.add(nanos, "harness", tripped, "tripwire");
            }
        }

        private void checkTripwire() {
            if (tripped != null) {
                throw new StepFailed(tripped + failureContext());
            }
            String gone = boardGone();
            if (gone != null) {
                throw new BoardGone(gone + failureContext());
            }
        }

        /** Why the board went away, with when, or null while it is there. */
        String boardGone() {
            Device d = device;
            return d == null ? null : d.gone().map(why -> String.format(Locale.ROOT, "%s, at %.1f s", why, timeline.seconds(System.nanoTime()))).orElse(null);
        }

        private void note(String text) {
            timeline.add(System.nanoTime(), "harness", text, null);
        }

        private void runSteps(List<Step> steps) throws InterruptedException {
            for (Step step : steps) {
                checkTripwire();
                current = step;
                currentIndex = ++stepCounter;
                note("step " + currentIndex + " (line " + step.line() + "): " + step.describe());
                perform(step);
                if (!step.action().startsWith("expect")) {
                    mark(step, System.nanoTime()); // an action's mark is when it was done
                }
            }
        }

        private void perform(Step step) throws InterruptedException {
            switch (step.action()) {
                case "reset" -> {
                    rebootsExpected.incrementAndGet();
                    note("reset by " + device.reset().description());
                }
                case "power_cycle" -> {
                    rebootsExpected.incrementAndGet();
                    device.powerCycle();
                }
                case "expect" -> expectEvent(step);
                case "expect_line" -> expectLine(step);
                case "expect_no", "expect_no_line" -> expectNone(step);
                case "expect_server" -> expectServer(step);
                case "send" -> send(step);
                case "server" -> serverAction(step);
                case "proxy" -> proxyFault(step);
                case "expect_backend_log" -> expectBackendLog(step);
                case "wifi" -> {
                    if (step.valueText().equals("down")) {
                        bench().wifiDown(WifiLoss.of(step.text("mode")).orElse(WifiLoss.SILENT));
                    } else {
                        bench().wifiUp();
                    }
                }
                case "access_points" -> bench().setAccessPoints(substitute(step.valueText()));
                case "set_pin" -> bench().setPin(step.integer("pin", 0), step.integer("value", 0));
                case "set_adc" -> bench().setAdc(step.integer("pin", 0), step.integer("value", 0));
                case "expect_pin" -> expectPin(step);
                case "wait" -> {
                    Duration d = Durations.parse(step.valueText());
                    waitedMs += d.toMillis();
                    sleep(d);
                }
                case "repeat" -> {
                    long n = ((Number) step.value()).longValue();
                    for (long i = 0; i < n; i++) {
                        runSteps(step.steps());
                    }
                }
                case "measure" -> {
                    long from = marks.get(step.text("from"));
                    long to = marks.get(step.text("to"));
                    double ms = (to - from) / 1e6;
                    metrics.put(step.valueText(), ms);
                    note(String.format(Locale.ROOT, "measured %s = %.0f ms", step.valueText(), ms));
                }
                case "assert" -> assertMetric(step);
                case "heap" -> measureHeap(step);
                default -> throw new IllegalStateException("no implementation for step " + step.action());
            }
        }

        private BenchControl bench() {
            return device.bench().orElseThrow(() -> new StepFailed("this board has no bench control"));
        }

        private void expectEvent(Step step) throws InterruptedException {
            String event = step.valueText();
            Pattern p = profile.events().get(event);
            Map<String, Object> where = step.map("where");
            Duration within = step.duration("within", DEFAULT_WITHIN);
            LogLines.Line hit = lines.await(text -> matches(p, text, where), deadline(within), this::checkTripwire);
            if (hit == null) {
                throw new StepFailed("no serial event '" + event + "'" + whereText(where) + " within " + Durations.format(within)
                        + " (pattern " + p.pattern() + ")" + failureContext());
            }
            mark(step, hit.nanos());
            Map<String, Object> save = step.map("save");
            if (!save.isEmpty()) {
                Map<String, String> fields = fields(p, hit.text());
                save.forEach((metric, field) -> {
                    String v = fields.get(String.valueOf(field));
                    try {
                        metrics.put(metric, Double.parseDouble(v));
                    } catch (NumberFormatException | NullPointerException e) {
                        throw new StepFailed("event '" + event + "' has no number in field '" + field + "' to save as " + metric + ": " + hit.text());
                    }
                });
            }
        }

        private void expectLine(Step step) throws InterruptedException {
            Pattern p = Pattern.compile(substitute(step.valueText()));
            Duration within = step.duration("within", DEFAULT_WITHIN);
            LogLines.Line hit = lines.await(text -> p.matcher(text).find(), deadline(within), this::checkTripwire);
            if (hit == null) {
                throw new StepFailed("no serial line matching /" + p.pattern() + "/ within " + Durations.format(within) + failureContext());
            }
            mark(step, hit.nanos());
        }

        private void expectNone(Step step) throws InterruptedException {
            Duration period = step.duration("for", Duration.ofSeconds(3));
            waitedMs += period.toMillis();
            sleep(period);
            List<LogLines.Line> found;
            String what;
            if (step.action().equals("expect_no")) {
                Pattern p = profile.events().get(step.valueText());
                Map<String, Object> where = step.map("where");
                found = lines.drain(text -> matches(p, text, where));
                what = "serial event '" + step.valueText() + "'" + whereText(where);
            } else {
                Pattern p = Pattern.compile(substitute(step.valueText()));
                found = lines.drain(text -> p.matcher(text).find());
                what = "serial line matching /" + p.pattern() + "/";
            }
            if (!found.isEmpty()) {
                throw new StepFailed("expected no " + what + " for " + Durations.format(period) + ", but saw: " + found.get(0).text() + failureContext());
            }
        }

        private void expectServer(Step step) {
            ServerEvent.Kind kind = ServerEvent.Kind.of(step.valueText());
            Map<String, Object> where = step.map("where");
            Duration within = step.duration("within", DEFAULT_WITHIN);
            long deadline = deadline(within);
            while (true) {
                checkTripwire();
                long slice = Math.min(deadline - System.nanoTime(), 200_000_000L);
                if (slice <= 0) {
                    throw new StepFailed("no server event '" + kind.id() + "'" + whereText(where) + " within " + Durations.format(within) + failureContext());
                }
                try {
                    ServerEvent e = server.log().await(ev -> ev.kind() == kind && fieldsMatch(ev.fields(), where), kind.id(), Duration.ofNanos(slice));
                    mark(step, e.nanos());
                    return;
                } catch (io.esp32hil.server.ServerTimeoutException e) {
                    // the next slice checks the tripwires, then waits again
                }
            }
        }

        private void expectPin(Step step) throws InterruptedException {
            int pin = step.integer("pin", 0);
            int want = step.integer("value", 0);
            Duration within = step.duration("within", DEFAULT_WITHIN);
            long deadline = deadline(within);
            int seen;
            while ((seen = bench().readPin(pin)) != want) {
                checkTripwire();
                if (System.nanoTime() > deadline) {
                    throw new StepFailed("pin " + pin + " is " + (seen < 0 ? "not driven" : seen) + ", expected " + want + " within "
                            + Durations.format(within) + failureContext());
                }
                Thread.sleep(50); // the pin is read from the board's state; a short poll keeps the wait bounded
            }
        }

        private void send(Step step) {
            if (container != null) {
                note("backend command: " + container.command("send", Map.of("text", substitute(step.text("text")))));
                return;
            }
            if (step.args().containsKey("text")) {
                String text = substitute(step.text("text"));
                if (step.args().containsKey("fragments")) {
                    server.sendFragmented(text, step.integer("fragments", 2));
                } else {
                    server.sendText(text);
                }
            } else if (step.args().containsKey("size")) {
                server.sendOfSize(step.integer("size", 0));
            } else if (step.args().containsKey("binary")) {
                byte[] data = new byte[step.integer("binary", 0)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) i;
                }
                server.sendBinary(data);
            } else {
                server.sendRaw(HexFormat.of().parseHex(step.text("raw").replace(" ", "")));
            }
        }

        private void serverAction(Step step) {
            if (container != null) {
                note("backend command: " + container.command(step.valueText(), step.args()));
                return;
            }
            switch (step.valueText()) {
                case "close" -> server.closeAll(step.integer("code", 1000), step.text("reason") == null ? "" : step.text("reason"));
                case "drop" -> server.dropAll();
                case "stop" -> server.stop(step.flag("graceful", true));
                case "restart" -> server.restart();
                case "refuse" -> server.refuse(step.flag("on", true));
                case "reject" -> server.rejectHandshakes(step.integer("status", 0));
                case "delay_handshake" -> server.delayHandshakes(step.duration("delay", Duration.ZERO));
                case "blackhole" -> server.blackhole(step.flag("on", true));
                case "stop_reading" -> server.stopReading(step.flag("on", true));
                case "ignore_pings" -> server.ignorePings(step.flag("on", true));
                case "ping" -> server.ping(step.text("payload") == null ? "" : step.text("payload"));
                case "periodic" -> server.startPeriodic(step.duration("interval", Duration.ofSeconds(1)),
                        step.text("text") == null ? "{\"type\": \"test\", \"seq\": %d}" : step.text("text"));
                case "stop_periodic" -> server.stopPeriodic();
                default -> throw new IllegalStateException(step.valueText());
            }
        }

        private void proxyFault(Step step) {
            switch (step.valueText()) {
                case "drop" -> proxy.drop();
                case "refuse" -> proxy.refuse(step.flag("on", true));
                case "blackhole" -> proxy.blackhole(step.flag("on", true));
                case "latency" -> proxy.latency(step.duration("delay", Duration.ZERO));
                case "bandwidth" -> proxy.bandwidth(step.integer("bytes_per_s", 0));
                case "cut_after" -> proxy.cutAfter(step.integer("bytes", -1));
                case "clear" -> proxy.clear();
                default -> throw new IllegalStateException(step.valueText());
            }
        }

        private void expectBackendLog(Step step) throws InterruptedException {
            Pattern p = Pattern.compile(substitute(step.valueText()));
            Duration within = step.duration("within", DEFAULT_WITHIN);
            LogLines.Line hit = backendLines.await(text -> p.matcher(text).find(), deadline(within), this::checkTripwire);
            if (hit == null) {
                throw new StepFailed("no " + (server != null ? "server event" : "backend log line") + " matching /" + p.pattern() + "/ within "
                        + Durations.format(within) + failureContext());
            }
            mark(step, hit.nanos());
        }

        /**
         * The live heap the firmware keeps. Where the target can (the native engine), it is read
         * while the firmware runs, after a real collection, with what is free and the largest free
         * block; elsewhere the application is stopped (Ctrl-C), the heap collected and read at the
         * REPL (two runs, so the simulator's collection has happened), and the board reset so the
         * application starts again.
         */
        private void measureHeap(Step step) throws InterruptedException {
            String name = step.valueText();
            Optional<HeapReading> live = device.liveHeap();
            HeapReading h = live.isPresent() ? live.get() : heapAtTheRepl();
            metrics.put(name, (double) h.used());
            metrics.put(name + "_free", (double) h.free());
            metrics.put(name + "_largest_free", (double) h.largestFree());
            String other = step.text("compare_to");
            if (other != null) {
                metrics.put(name + "_growth", h.used() - metrics.get(other));
                Double before = metrics.get(other + "_largest_free"); // compare_to may name a metric of another kind
                if (before != null) {
                    metrics.put(name + "_largest_free_loss", before - h.largestFree());
                }
            }
            note(String.format(Locale.ROOT, "live heap %s = %d bytes, %d free, largest free block %d%s", name, h.used(), h.free(),
                    h.largestFree(), live.isPresent() ? "; read while the firmware ran" : ""));
        }

        /**
         * Stops the application to read its heap at the REPL, restarts it, and waits until the
         * firmware says it is ready again (the profile's {@code ready} event), so that the scenario
         * goes on as on a target that reads the heap without stopping it.
         */
        private HeapReading heapAtTheRepl() throws InterruptedException {
            io.esp32hil.repl.RawRepl repl = device.interruptToRepl();
            repl.execOrThrow("import gc\ngc.collect()");
            String out = repl.execOrThrow(HEAP_AT_THE_REPL).strip();
            String[] figures = out.substring(out.lastIndexOf('\n') + 1).strip().split(" ");
            repl.exit();
            rebootsExpected.incrementAndGet();
            note("heap read at the REPL; restarted by " + device.reset().description());
            String ready = profile.ready();
            if (ready != null && lines.await(text -> profile.events().get(ready).matcher(text).find(), deadline(READY_AFTER_RESTART),
                    this::checkTripwire) == null) {
                throw new StepFailed("the firmware did not report '" + ready + "' within " + Durations.format(READY_AFTER_RESTART)
                        + " after the heap step restarted it" + failureContext());
            }
            return new HeapReading(Long.parseLong(figures[0]), Long.parseLong(figures[1]), Long.parseLong(figures[2]));
        }

        private void assertMetric(Step step) {
            String name = step.valueText();
            double v = metrics.get(name);
            Object min = step.args().get("min");
            Object max = step.args().get("max");
            if (min != null && v < ((Number) min).doubleValue() || max != null && v > ((Number) max).doubleValue()) {
                throw new StepFailed(String.format(Locale.ROOT, "metric %s = %.0f is outside [%s, %s]", name, v,
                        min == null ? "-" : min, max == null ? "-" : max) + failureContext());
            }
        }

        private void mark(Step step, long nanos) {
            String name = step.text("mark");
            if (name != null) {
                marks.put(name, nanos);
            }
        }

        private boolean matches(Pattern p, String line, Map<String, Object> where) {
            Matcher m = p.matcher(line);
            if (!m.find()) {
                return false;
            }
            return where.isEmpty() || fieldsMatch(fields(p, line), where);
        }

        /** The named groups of an event pattern as the line fills them, JSON-quoted values unquoted. */
        private Map<String, String> fields(Pattern p, String line) {
            Matcher m = p.matcher(line);
            Map<String, String> fields = new LinkedHashMap<>();
            if (!m.find()) {
                return fields;
            }
            for (String name : FirmwareProfile.groupNames(p)) {
                String v = m.group(name);
                fields.put(name, v == null ? "" : unquote(v));
            }
            return fields;
        }

        private boolean fieldsMatch(Map<String, String> fields, Map<String, Object> where) {
            for (Map.Entry<String, Object> w : where.entrySet()) {
                String want = substitute(String.valueOf(w.getValue()));
                String have = fields.get(w.getKey());
                if (have == null) {
                    return false;
                }
                if (want.startsWith("~") ? !Pattern.compile(want.substring(1)).matcher(have).find() : !want.equals(have)) {
                    return false;
                }
            }
            return true;
        }

        private String substitute(String s) {
            Matcher m = VARIABLE.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
            }
            return m.appendTail(sb).toString();
        }

        private String failureContext() {
            StringBuilder sb = new StringBuilder("\nlast serial lines:\n");
            for (String l : lines.tail(TAIL)) {
                sb.append("  | ").append(l).append('\n');
            }
            if (server != null) {
                sb.append("last server events:\n").append(String.join("\n", server.log().tail(TAIL))).append('\n');
            }
            if (container != null) {
                sb.append("last backend log lines (").append(backend.name()).append("):\n").append(String.join("\n", serverTail())).append('\n');
            }
            FaultProxy p = proxy;
            if (p != null) {
                sb.append("last proxy events:\n");
                p.log().tail(8).forEach(l -> sb.append("  | ").append(l).append('\n'));
            }
            if (server != null && p == null) {
                sb.append("logs: ").append(device == null ? logDir : device.console().logPath()).append(", ").append(server.log().path());
            } else if (server != null || container != null) {
                sb.append("logs: ").append(logDir);
            }
            return sb.toString();
        }

        private void sleep(Duration d) throws InterruptedException {
            long deadline = deadline(d);
            while (System.nanoTime() < deadline) {
                checkTripwire();
                Thread.sleep(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
            }
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

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static String whereText(Map<String, Object> where) {
        return where.isEmpty() ? "" : " where " + where;
    }

    static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }
}
