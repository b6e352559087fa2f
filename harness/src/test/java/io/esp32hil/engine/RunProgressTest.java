package io.esp32hil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunProgressTest {
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath();

    @TempDir
    Path tmp;

    private Job job(String name) throws IOException {
        Path f = Files.writeString(tmp.resolve(name + ".yaml"), "name: " + name + "\nsteps:\n  - reset\n");
        Scenario s = new ScenarioLoader(FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"))).load(f);
        return Job.of(s);
    }

    private static ScenarioResult passed(RunProgress.Task t) {
        var s = t.job().scenario();
        return new ScenarioResult(s.name(), "", s.file(), List.of(), "sim", "java", t.repetition(), Status.PASSED, 0, Duration.ZERO, null, null,
                List.of(), List.of(), Map.of(), List.of(), null, io.esp32hil.scenario.ConnectionStates.NONE);
    }

    @Test
    void runsAreHandedOutOneAtATimeAndWhatHasNoResultIsShownAsNotRun() throws IOException {
        RunProgress plan = new RunProgress(List.of(job("a"), job("b")), 5_000_000, "sim");
        assertThat(plan.total()).isEqualTo(10_000_000);
        RunProgress.Task first = plan.next();
        RunProgress.Task second = plan.next();
        assertThat(first.repetition()).isEqualTo(1);
        assertThat(second.repetition()).isEqualTo(2);
        plan.finished(first, passed(first));
        List<ScenarioResult> soFar = plan.resultsSoFar("the run was interrupted");
        assertThat(soFar).extracting(ScenarioResult::status).containsExactly(Status.PASSED, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN);
        assertThat(soFar).extracting(ScenarioResult::message).containsExactly(null, "it was still running: the run was interrupted",
                "4999998 of 5000000 repetitions not run: the run was interrupted", "5000000 of 5000000 repetitions not run: the run was interrupted");
        plan.stop();
        assertThat(plan.next()).isNull();
    }

    @Test
    void aPlanBeyondTenMillionRunsIsRefused() throws IOException {
        Job a = job("a");
        assertThatThrownBy(() -> new RunProgress(List.of(a, a), Integer.MAX_VALUE, "sim")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 10000000 runs");
    }
}
