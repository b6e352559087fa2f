package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.device.Capability;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.Line;
import io.esp32hil.rig.Target;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.SafeName;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.steps.StepFailed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs one scenario on one board: starts its server (the built-in test server, or a backend in a
 * container behind the fault proxy) and the board, deploys the firmware with the run's config.py,
 * then performs the steps, each with its own time limit, under the scenario's overall limit.
 * Tripwires fail the scenario the moment their pattern appears. The board, the proxy and the server
 * are stopped however the scenario ends.
 */
public final class ScenarioRunner {
    private final FirmwareProfile profile;
    private final Path firmwareDir;
    private final Map<String, Object> baseConfig;

    public ScenarioRunner(FirmwareProfile profile, Path firmwareDir, Map<String, Object> baseConfig) {
        this.profile = profile;
        this.firmwareDir = firmwareDir;
        this.baseConfig = baseConfig;
    }

    public ScenarioResult run(Scenario scenario, Target target, Path runDir, int repetition) {
        return run(scenario, target, BackendSpec.BUILT_IN, runDir, repetition);
    }

    /** The result of a scenario that does not run, with the reason. */
    public ScenarioResult skipped(Scenario scenario, Target target, BackendSpec backend, Path runDir, int repetition, String why) {
        return new ScenarioResult(scenario.name(), scenario.description(), scenario.file(), scenario.tags(), target.name(), backend.name(), repetition,
                Status.SKIPPED, System.nanoTime(), Duration.ZERO, why, null, List.of(), List.of(), Map.of(), List.of(),
                runDir.resolve(dirName(scenario, backend, repetition)), profile.states());
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
        Clock clock = Clock.wall(); // the run's one clock: its zero is now
        long start = clock.origin();
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
        ScenarioRun run = new ScenarioRun(scenario, profile, firmwareDir, baseConfig, target, backend, logDir, clock);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scenario-" + dirName);
            t.setDaemon(true);
            return t;
        });
        Status status;
        String message = null;
        long closedIn;
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
                    message = cause instanceof ScenarioRun.BoardGone || cause instanceof io.esp32hil.backend.BackendException ? cause.getMessage()
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
            long closing = clock.now();
            run.close();
            closedIn = clock.now() - closing;
        }
        FloorMetrics.add(run.metrics, run.timeline, profile, run.stepsStarted, run.stepsEnded != 0 ? run.stepsEnded : clock.now(), run.waits.waited().toMillis(), closedIn);
        ScenarioResult.FailedStep failed = status == Status.PASSED || run.current == null ? null
                : new ScenarioResult.FailedStep(run.currentIndex, run.current.line(), run.current.describe());
        return new ScenarioResult(scenario.name(), scenario.description(), scenario.file(), scenario.tags(), target.name(), backend.name(), repetition,
                status, start, Duration.ofNanos(clock.now() - start), run.secrets.redact(message), failed, run.lines.tail(ScenarioRun.TAIL).stream().map(Line::text).toList(),
                run.rig.serverTail(ScenarioRun.TAIL), Map.copyOf(run.metrics), run.timeline.entries(), logDir, profile.states());
    }
}
