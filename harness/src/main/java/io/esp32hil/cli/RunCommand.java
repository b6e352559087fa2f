package io.esp32hil.cli;

import io.esp32hil.engine.Job;
import io.esp32hil.engine.RunFolder;
import io.esp32hil.engine.RunProgress;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.report.LiveReport;
import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import io.esp32hil.rig.Target;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

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

    @Option(names = "--engine", paramLabel = "NAME", description = "the simulator's interpreter: wasm or native (default: the simulator's own choice)")
    String engine;

    @Option(names = "--tag", description = "only scenarios with this tag (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--reports", description = "where reports go (default: reports/ in the project)")
    Path reports;

    @Override
    public Integer call() throws Exception {
        if (engine != null) {
            if (!List.of("wasm", "native").contains(engine)) {
                throw new UsageException("--engine is wasm or native, not '" + engine + "'");
            }
            System.setProperty("hil.engine", engine); // every simulated board of this run
        }
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
        String tooMany = RunProgress.sizeProblem(jobs.size(), repeat);
        if (tooMany != null) {
            throw new UsageException(tooMany);
        }
        if (parallel == 0) {
            parallel = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        }
        Path root = reports != null ? reports.toAbsolutePath() : suite.reportsDir();
        String runId = RunFolder.create(root, LocalDateTime.now());
        ReportWriter writer = new ReportWriter(root, runId);
        RunInfo info = new RunInfo(runId, t.name(), Instant.now(), commandLine(), false, false);
        RunProgress plan = new RunProgress(jobs, repeat, t.name());
        LiveReport report = new LiveReport(writer, info, plan);
        SuiteRunner suiteRunner = new SuiteRunner(suite.runner(), t, parallel, repeat, new ProgressPrinter(System.out), report);
        Thread onInterrupt = new Thread(() -> {
            report.interrupted();
            System.err.println("hil: interrupted; report so far: " + writer.html());
        }, "hil-report-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        List<ScenarioResult> all;
        try {
            System.out.printf("hil: %d scenario(s) on %s, %d at a time; logs and report in %s%n", plan.total(), t.name(),
                    suiteRunner.boards(plan.total()), writer.dir());
            all = suiteRunner.run(plan, writer.dir());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it writes the report
            }
        }
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
        if (engine != null) {
            parts.add("--engine " + engine);
        }
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
