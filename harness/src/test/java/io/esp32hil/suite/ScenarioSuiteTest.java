package io.esp32hil.suite;

import static org.junit.jupiter.api.Assertions.fail;

import io.esp32hil.cli.Suite;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.rig.Targets;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import io.esp32hil.scenario.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole scenario suite (scenarios/) on the simulator, one JUnit test per scenario (scenarios
 * that need what the target lacks are skipped with the reason). The scenarios run first, two boards
 * at a time where the target allows; the report lands in harness/target/hil-report/suite.
 */
class ScenarioSuiteTest {
    @TestFactory
    Stream<DynamicTest> everyScenarioPassesOnTheSimulator() throws InterruptedException {
        Suite suite = Suite.at(Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize());
        List<Scenario> scenarios = suite.scenarios(List.of(), List.of());
        ReportWriter writer = new ReportWriter(Path.of("target", "hil-report"), "suite");
        RunInfo info = new RunInfo("suite", System.getProperty("hil.target", "sim"), Instant.now(), "mvn verify (ScenarioSuiteTest)", false);
        // scenarios that name a container backend run in it, or are skipped with the reason where Docker is missing
        List<ScenarioResult> results = new SuiteRunner(suite.runner(), Targets.fromSystemProperties(suite.home()), 2, 1, new io.esp32hil.cli.ProgressPrinter(System.out))
                .runJobs(suite.jobs(scenarios, List.of()), writer.dir());
        writer.write(info, results);
        return results.stream().map(r -> DynamicTest.dynamicTest(r.displayName(), r.file().toUri(), () -> {
            Assumptions.assumeFalse(r.status() == Status.SKIPPED, r.message());
            if (r.status() != Status.PASSED) {
                fail(r.status() + ": " + r.message() + "\nreport: " + writer.html().toAbsolutePath());
            }
        }));
    }
}
