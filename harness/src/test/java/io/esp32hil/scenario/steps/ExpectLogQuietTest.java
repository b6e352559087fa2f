package io.esp32hil.scenario.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.ScenarioRunner;
import io.esp32hil.rig.SimTarget;
import io.esp32hil.engine.Status;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expect_log_quiet} on a simulated board and the built-in server: quiet holds; a line it must not see fails it. */
class ExpectLogQuietTest {
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath();
    private final FirmwareProfile profile = FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"));

    @TempDir
    Path tmp;

    private ScenarioResult run(String yaml) throws IOException {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, yaml);
        return new ScenarioRunner(profile, FIRMWARE, Map.of("STATUS_INTERVAL_MS", 0)).run(new ScenarioLoader(profile).load(f), new SimTarget(),
                tmp.resolve("run"), 0);
    }

    @Test
    void aQuietServerLogPassesAndALineInThePeriodFailsNamingIt() throws IOException {
        ScenarioResult quiet = run("""
                name: quiet
                steps:
                  - expect: connected
                    within: 20s
                  - expect_log_quiet: '#\\d+ (close|lost)'
                    for: 1s
                """);
        assertThat(quiet.status()).as(quiet.message()).isEqualTo(Status.PASSED);

        ScenarioResult noisy = run("""
                name: noisy
                steps:
                  - expect: connected
                    within: 20s
                  - server: close
                    code: 1001
                  - expect_log_quiet: '#\\d+ close'
                    for: 60s
                """);
        assertThat(noisy.status()).isEqualTo(Status.FAILED);
        assertThat(noisy.message()).contains("expected no line of the server's log matching /#\\d+ close/ for 60s, but saw: #1 close code=1001");
        assertThat(noisy.duration().toSeconds()).as("the first line it must not see ends the wait, not the period").isLessThan(30);
    }
}
