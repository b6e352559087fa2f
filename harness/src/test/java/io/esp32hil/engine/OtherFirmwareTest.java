package io.esp32hil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import io.esp32hil.rig.SimTarget;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team with its own firmware writes a profile and keeps the scenarios: a firmware of a few lines
 * that is not the WebSocket client, with log lines of its own, runs a scenario end to end on the
 * simulated board, and the report pictures it in its profile's states.
 */
class OtherFirmwareTest {
    private static final Path FIRMWARE = Path.of("src/test/resources/tick-firmware").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void aMinimalFirmwareWithItsOwnProfileRunsAScenarioEndToEnd() throws IOException {
        FirmwareProfile profile = FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"));
        Path file = tmp.resolve("counts.yaml");
        Files.writeString(file, """
                name: counts
                steps:
                  - expect: up
                    where: {ssid: "${ssid}"}
                    within: 20s
                  - expect: tick
                    where: {n: 3}
                    mark: third
                  - expect: tick
                    where: {n: 5}
                    mark: fifth
                  - measure: two_ticks
                    from: third
                    to: fifth
                  - assert: two_ticks
                    min: 150
                  - reset
                  - expect: tick
                    where: {n: 1}
                """);
        Scenario s = new ScenarioLoader(profile).load(file);
        ScenarioResult r = new ScenarioRunner(profile, FIRMWARE, Map.of()).run(s, new SimTarget(), tmp.resolve("run"), 0);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASSED);
        assertThat(r.metrics().get("two_ticks")).isGreaterThanOrEqualTo(150.0);
        assertThat(r.timeline()).anyMatch(e -> "tick".equals(e.event()) && e.text().equals("tick n=5"));
        ReportWriter w = new ReportWriter(tmp.resolve("reports"), "t");
        w.write(new RunInfo("t", "sim", Instant.now(), "test", false), List.of(r));
        assertThat(Files.readString(w.html())).contains("<title>counting ").contains("<title>starting ").doesNotContain("connected");
    }
}
