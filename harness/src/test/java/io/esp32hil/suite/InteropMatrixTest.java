package io.esp32hil.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.esp32hil.backend.Docker;
import io.esp32hil.cli.Suite;
import io.esp32hil.engine.Job;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.rig.SimTarget;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The interop matrix: the firmware on the simulator against the built-in Java server, the Python
 * test server and a Node.js (ws) server, the last two in containers behind the fault proxy. Every
 * scenario tagged {@code interop} must pass against all three; the report
 * (harness/target/hil-report/interop) opens with the matrix. Skipped, with the reason, without Docker.
 */
class InteropMatrixTest {
    private static final List<String> BACKENDS = List.of("java", "python", "node");

    @TestFactory
    Stream<DynamicTest> interopScenariosPassAgainstEveryServer() throws Exception {
        if (Docker.missing() != null) {
            return Stream.of(DynamicTest.dynamicTest("interop matrix", Docker::assumeImages)); // reported as skipped, with the reason
        }
        Suite suite = Suite.at(Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize());
        List<Job> jobs = suite.jobs(suite.scenarios(List.of(), List.of("interop")), BACKENDS);
        ReportWriter writer = new ReportWriter(Path.of("target", "hil-report"), "interop");
        RunInfo info = new RunInfo("interop", "sim", Instant.now(), "mvn verify (InteropMatrixTest): --backend java --backend python --backend node --tag interop", false);
        List<ScenarioResult> results = new SuiteRunner(suite.runner(), new SimTarget(), 2, 1, new io.esp32hil.cli.ProgressPrinter(System.out)).runJobs(jobs, writer.dir());
        writer.write(info, results);
        assertThat(results).as("every interop scenario against every backend").hasSizeGreaterThanOrEqualTo(3 * BACKENDS.size());
        String html = Files.readString(writer.html());
        assertThat(html).as("the report opens with the matrix").contains("<h2>Backends</h2>").contains("<th>python</th>").contains("<th>node</th>");
        return results.stream().map(r -> DynamicTest.dynamicTest(r.displayName(), r.file().toUri(), () -> {
            if (r.status() != Status.PASSED) {
                fail(r.status() + ": " + r.message() + "\nreport: " + writer.html().toAbsolutePath());
            }
        }));
    }
}
