package io.esp32hil.cli;

import io.esp32hil.engine.Job;
import io.esp32hil.engine.RunFolder;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.SimTarget;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.engine.Target;
import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run scenarios (all of scenarios/ by default) and write a report.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "scenario files or folders")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--target", defaultValue = "sim", description = "where the firmware runs: sim (default), serial (a board on USB) or wokwi")
    String target;

    @CommandLine.Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--parallel", defaultValue = "0", description = "boards at once (default: one per CPU core, at most 4)")
    int parallel;

    @Option(names = "--repeat", defaultValue = "1", description = "run each scenario N times (to find flaky ones)")
    int repeat;

    @Option(names = "--backend", paramLabel = "NAME", description = "the server the board talks to: java (the built-in one, default), "
            + "a backend in scenarios/backends (python, node, or your own), a backend file, or image=NAME,port=N[,path=/ws]; "
            + "repeat it to run each scenario against each (a matrix)")
    List<String> backends = new ArrayList<>();

    @Option(names = "--tag", description = "only scenarios with this tag (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--reports", description = "where reports go (default: reports/ in the project)")
    Path reports;

    @Override
    public Integer call() throws Exception {
        Suite suite = Suite.locate();
        Target t = bench.target(target, suite);
        List<Scenario> scenarios = suite.scenarios(paths, tags);
        if (scenarios.isEmpty()) {
            throw new ScenarioException(paths.isEmpty() ? suite.scenariosDir() : paths.get(0), 0,
                    "no scenarios to run" + (tags.isEmpty() ? "" : " with tag " + String.join(" or ", tags)));
        }
        if (parallel < 0 || repeat < 1) {
            throw new ScenarioException(suite.home(), 0, "--parallel must be 1 or more (0: automatic) and --repeat 1 or more");
        }
        List<Job> jobs = suite.jobs(scenarios, backends);
        if (parallel == 0) {
            parallel = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        }
        Path root = reports != null ? reports.toAbsolutePath() : suite.reportsDir();
        String runId = RunFolder.create(root, LocalDateTime.now());
        ReportWriter writer = new ReportWriter(root, runId);
        RunInfo info = new RunInfo(runId, t.name(), Instant.now(), commandLine(), false);
        List<ScenarioResult> results = Collections.synchronizedList(new ArrayList<>());
        Thread onInterrupt = new Thread(() -> {
            // Ctrl-C: the boards are stopped by their own shutdown hooks; keep what was learned
            writer.write(new RunInfo(runId, t.name(), info.started(), info.command(), true), List.copyOf(results));
            System.err.println("hil: interrupted; report so far: " + writer.html());
        }, "hil-report-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        System.out.printf("hil: %d scenario(s) on %s, %d at a time; logs and report in %s%n", jobs.size() * repeat, t.name(),
                Math.min(parallel, t.maxParallel()), writer.dir());
        writer.write(info, List.of());
        List<ScenarioResult> all = new SuiteRunner(suite.runner(), t, parallel, repeat, System.out).runJobs(jobs, writer.dir(), r -> {
            results.add(r);
            writer.write(info, List.copyOf(results));
        });
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        writer.write(info, all);
        Map<Status, Integer> c = ReportWriter.counts(all);
        System.out.printf("hil: %d passed, %d failed, %d timed out, %d errors, %d skipped in %.0f s%n", c.get(Status.PASSED), c.get(Status.FAILED),
                c.get(Status.TIMED_OUT), c.get(Status.ERROR), c.get(Status.SKIPPED), java.time.Duration.between(info.started(), Instant.now()).toMillis() / 1000.0);
        System.out.println("report: " + writer.html());
        if (c.get(Status.FAILED) + c.get(Status.TIMED_OUT) > 0) {
            return Hil.FAILED;
        }
        return c.get(Status.ERROR) > 0 ? Hil.INFRASTRUCTURE : Hil.PASSED;
    }

    private String commandLine() {
        List<String> parts = new ArrayList<>(List.of("hil", "run", "--target", target));
        if (parallel > 1) {
            parts.add("--parallel " + parallel);
        }
        if (repeat > 1) {
            parts.add("--repeat " + repeat);
        }
        backends.forEach(b -> parts.add("--backend " + b));
        tags.forEach(tag -> parts.add("--tag " + tag));
        paths.forEach(p -> parts.add(p.toString()));
        return String.join(" ", parts);
    }
}
