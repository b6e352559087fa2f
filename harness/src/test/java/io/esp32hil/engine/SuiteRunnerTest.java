package io.esp32hil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.rig.SimTarget;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite runner tells its listeners how the run goes, one call at a time, in order: anything can subscribe. */
class SuiteRunnerTest {
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void listenersHearTheStartEachResultWithItsCountAndTheEnd() throws IOException, InterruptedException {
        FirmwareProfile profile = FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"));
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : List.of("one", "two", "three")) {
            Path f = tmp.resolve(name + ".yaml");
            Files.writeString(f, "name: " + name + "\nsteps:\n  - expect: connected\n    within: 20s\n");
            scenarios.add(new ScenarioLoader(profile).load(f));
        }
        List<String> heard = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void runStarted(RunProgress plan) {
                heard.add("started " + plan.total());
            }

            @Override
            public void scenarioFinished(RunProgress.Task task, ScenarioResult result, long done, long total) {
                heard.add(done + "/" + total + " " + result.status());
            }

            @Override
            public void runFinished(List<ScenarioResult> results) {
                heard.add("finished " + results.stream().map(ScenarioResult::name).toList());
            }
        };
        List<ScenarioResult> results = new SuiteRunner(new ScenarioRunner(profile, FIRMWARE, Map.of()), new SimTarget(), 2, 1, listener)
                .run(scenarios, tmp.resolve("run"));
        assertThat(results).extracting(ScenarioResult::status).containsOnly(Status.PASSED);
        assertThat(heard).containsExactly("started 3", "1/3 PASSED", "2/3 PASSED", "3/3 PASSED", "finished [one, two, three]");
    }
}
