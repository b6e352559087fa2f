package io.esp32hil.engine;

import io.esp32hil.rig.Target;
import io.esp32hil.rig.SimTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.report.ReportWriter;
import io.esp32hil.report.RunInfo;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own behaviour: failures with context, tripwires, skips, time limits and cleanup. */
class ScenarioRunnerTest {
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath();
    private static final Map<String, Object> FAST = Map.of("RECONNECT_DELAY_MS", 300, "STATUS_INTERVAL_MS", 0, "WIFI_CHECK_MS", 300);

    @TempDir
    Path tmp;

    private final FirmwareProfile profile = FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"));

    private Scenario scenario(String yaml) throws IOException {
        Path f = tmp.resolve("s-" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return new ScenarioLoader(profile).load(f);
    }

    private ScenarioResult run(Scenario s, Path firmware, Target target) {
        return new ScenarioRunner(profile, firmware, FAST).run(s, target, tmp.resolve("run"), 0);
    }

    @Test
    void aFailedExpectationNamesTheStepAndShowsTheSerialContextInTheReport() throws IOException {
        Scenario s = scenario("""
                name: fails-on-purpose
                steps:
                  - expect: connected
                    within: 20s
                  - expect: closed
                    where: {code: 4321}
                    within: 1s
                """);
        ScenarioResult r = run(s, FIRMWARE, new SimTarget());
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.failedStep().line()).isEqualTo(5);
        assertThat(r.failedStep().index()).isEqualTo(2);
        assertThat(r.message()).contains("no serial event 'closed' where {code=4321} within 1s").contains("last serial lines:")
                .contains("[ws] connected url=").contains("last server events:");
        ReportWriter w = new ReportWriter(tmp.resolve("reports"), "t");
        w.write(new RunInfo("t", "sim", Instant.now(), "test", false), List.of(r));
        String html = Files.readString(w.html());
        assertThat(html).contains("Failing step 2</b> (line 5)").contains("expect closed where={code=4321}").contains("[ws] connected url=")
                .contains("<svg");
        assertThat(Files.readString(w.dir().resolve("junit.xml"))).contains("<failure type=\"failed\"");
    }

    @Test
    void aTripwireFailsTheScenarioAtOnce() throws IOException {
        Path firmware = tmp.resolve("firmware");
        copyFirmware(firmware);
        // A main.py that crashes shortly after boot, as a buggy application would.
        Files.writeString(firmware.resolve("esp32_websocket_client/main.py"),
                "import time\ntime.sleep_ms(300)\nraise ValueError('application bug')\n");
        Scenario s = scenario("name: trips\ntimeout: 60s\nsteps:\n  - wait: 30s\n");
        long t0 = System.nanoTime();
        ScenarioResult r = run(s, firmware, new SimTarget());
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.message()).contains("tripwire 'traceback' fired").contains("ValueError: application bug");
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds until the failure").isLessThan(25);
    }

    @Test
    void theFrozenSettingsAreDeployedTooSoABrokenWsConfigFailsTheSuite() throws IOException {
        Path firmware = tmp.resolve("firmware");
        copyFirmware(firmware);
        Files.writeString(firmware.resolve("ports/esp32/modules/ws_config.py"), "OUTBOX_SIZE = undefined_setting\n");
        Scenario s = scenario("name: frozen-settings\nsteps:\n  - expect: connected\n    within: 10s\n");
        ScenarioResult r = run(s, firmware, new SimTarget());
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(String.join("\n", r.lastSerialLines())).contains("kind=config").contains("ws_config.py").contains("NameError");
    }

    @Test
    void aScenarioNeedingWhatTheTargetLacksIsSkippedWithTheReason() throws IOException {
        Scenario s = scenario("name: needs-bench\nneeds: [bench_control]\nsteps:\n  - wifi: down\n");
        Target bare = new Target() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public Set<Capability> capabilities() {
                return Set.of(Capability.HARDWARE_RESET);
            }

            @Override
            public Device open(String name, Path logDir, Map<String, byte[]> flashed, io.esp32hil.secrets.Secrets secrets,
                    io.esp32hil.observe.Clock clock) {
                throw new AssertionError("a skipped scenario must not open a board");
            }

            @Override
            public int maxParallel() {
                return 1;
            }
        };
        ScenarioResult r = run(s, FIRMWARE, bare);
        assertThat(r.status()).isEqualTo(Status.SKIPPED);
        assertThat(r.message()).isEqualTo("target bench has no bench_control");
    }

    @Test
    void theTimeLimitStopsTheScenarioAndEveryProcessItStarted() throws IOException {
        Scenario s = scenario("name: slow\ntimeout: 8s\nsteps:\n  - expect: connected\n    within: 20s\n  - wait: 30s\n");
        ScenarioResult r = run(s, FIRMWARE, new SimTarget());
        assertThat(r.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(r.message()).contains("time limit of 8s ran out during step 2 (line 6: wait 30s)");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().command().orElse("")))
                .noneMatch(c -> c.contains("node"));
    }

    @Test
    void noCredentialReachesALogOrTheReportAndTheFlashCopyIsRedacted() throws IOException {
        Scenario s = scenario("""
                name: secrets-stay-out
                config:
                  WS_URL: "${server_url}?token=QUERY-MARKER-7731"
                  WS_HEADERS: {Authorization: "Bearer HEADER-MARKER-5512"}
                  API_TOKEN: TOKEN-MARKER-9034
                steps:
                  - expect_server: handshake
                    where: {path: "/ws?<redacted>"}
                    within: 20s
                  - expect: connected
                  - server: close
                    code: 1000
                  - expect: closed
                """);
        ScenarioResult r = run(s, FIRMWARE, new SimTarget());
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASSED);
        ReportWriter w = new ReportWriter(tmp.resolve("reports"), "t");
        w.write(new RunInfo("t", "sim", Instant.now(), "test", false), List.of(r));
        Path flashConfig = r.logDir().resolve("flash/config.py");
        assertThat(flashConfig).exists();
        assertThat(Files.readString(flashConfig)).contains("WIFI_PASSWORD = \"<redacted>\"").contains("\"Authorization\": \"<redacted>\"")
                .contains("?<redacted>\"").contains("API_TOKEN = \"<redacted>\"");
        List<Path> written;
        try (var files = Files.walk(tmp)) {
            written = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".yaml")).toList();
        }
        assertThat(written).extracting(f -> f.getFileName().toString()).contains("server.log", "report.html", "results.json", "secrets-stay-out.log",
                "secrets-stay-out.raw.log", "config.py");
        for (Path f : written) {
            String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content).as(f.toString()).doesNotContain("QUERY-MARKER-7731", "HEADER-MARKER-5512", "TOKEN-MARKER-9034",
                    io.esp32hil.device.SimDevice.PASSWORD);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count()).isZero();
    }

    @Test
    void aScenarioFolderIsClearedWithoutFollowingALinkOutOfTheRunFolder() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        Files.createSymbolicLink(runDir.resolve("linked"), outside);
        Scenario s = scenario("name: linked\nsteps:\n  - expect: connected\n    within: 20s\n");
        ScenarioResult r = run(s, FIRMWARE, new SimTarget());
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASSED);
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
        assertThat(Files.isSymbolicLink(runDir.resolve("linked"))).isFalse();
        assertThat(runDir.resolve("linked/linked.log")).exists();
    }

    @Test
    void aBoardWhoseSimulatorDiesIsAnErrorAtOnceNotAFirmwareFailureAfterTheWait() throws Exception {
        Scenario s = scenario("name: board-dies\nsteps:\n  - expect: connected\n    within: 20s\n  - wait: 90s\n");
        Thread killer = new Thread(() -> {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                Path log = tmp.resolve("run/board-dies/board-dies.log");
                return Files.exists(log) && Files.readString(log).contains("[ws] connected");
            });
            ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("node")).forEach(ProcessHandle::destroyForcibly);
        });
        killer.start();
        ScenarioResult r = run(s, FIRMWARE, new SimTarget());
        killer.join();
        assertThat(r.status()).as(r.message()).isEqualTo(Status.ERROR);
        assertThat(r.message()).containsPattern("^the simulator exited, signal 9, at \\d+\\.\\d s");
        assertThat(r.failedStep().line()).isEqualTo(5);
        assertThat(r.duration()).as("noticed during the 90 s wait, not after it").isLessThan(java.time.Duration.ofSeconds(60));
    }

    private static void copyFirmware(Path to) throws IOException {
        try (var files = Files.walk(FIRMWARE)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(FIRMWARE.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
