package io.esp32hil.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.esp32hil.cli.Suite;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.rig.WokwiTarget;
import io.esp32hil.repl.ReplException;
import io.esp32hil.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Wokwi target against a stand-in wokwi-cli (harness/src/test/standin) that checks flags,
 * token and project like the real CLI and runs the local simulator as the board.
 */
class WokwiDeviceTest {
    private static final Path HOME = Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize();
    private static final Path STANDIN = HOME.resolve("harness/src/test/standin/wokwi-cli");

    @TempDir
    Path tmp;

    private Map<String, String> env(boolean token) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH", ""),
                "HIL_WOKWI_FIRMWARE", Files.writeString(tmp.resolve("ESP32_GENERIC-v1.27.0.bin"), "image").toString(),
                "HIL_SERVER_HOST", "127.0.0.1"));
        if (token) {
            env.put("WOKWI_CLI_TOKEN", "wok_test_token_123");
        }
        return env;
    }

    private WokwiSettings settings(Duration timeout) throws IOException {
        return WokwiSettings.load(env(true), STANDIN.toString(), null, null, timeout);
    }

    @Test
    void theWokwiPartOfTheSuitePassesThroughTheCli() throws Exception {
        Suite suite = Suite.at(HOME);
        List<Scenario> scenarios = suite.scenarios(List.of(), List.of("smoke", "message", "close", "drop")).stream()
                .filter(s -> s.backend() == null && !s.tags().contains("interop") && !s.tags().contains("proxy")) // backends and proxy faults are covered on the simulator
                // the stand-in board behind it may run on the WebAssembly engine, whose heap is not a board's
                .filter(s -> !s.needs().contains(Capability.REAL_HEAP)).toList();
        List<ScenarioResult> results = new SuiteRunner(suite.runner(), new WokwiTarget(settings(Duration.ofMinutes(5))), 1, 1, new io.esp32hil.cli.ProgressPrinter(System.out))
                .run(scenarios, tmp.resolve("run"));
        for (ScenarioResult r : results) {
            assertThat(r.status()).as(r.name() + ": " + r.message()).isEqualTo(Status.PASSED);
        }
        Path project = tmp.resolve("run/message-text/wokwi-project");
        assertThat(Files.readString(project.resolve("wokwi.toml"))).contains("version = 1").contains("ESP32_GENERIC-v1.27.0.bin");
        assertThat(Files.readString(project.resolve("diagram.json"))).contains("board-esp32-devkit-c-v4").contains("esp:34");
        assertThat(new String(Files.readAllBytes(tmp.resolve("run/message-text/message-text.wokwi-serial.log")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("[ws] connected url=");
        String everything = String.join("\n", results.stream().flatMap(r -> r.timeline().stream()).map(e -> e.text()).toList());
        assertThat(everything).doesNotContain("wok_test_token_123").contains("restarted by soft reset");
    }

    @Test
    void whatIsMissingIsSaidBeforeAnythingStarts() throws IOException {
        assertThatThrownBy(() -> WokwiSettings.load(env(false), STANDIN.toString(), null, null, Duration.ofMinutes(1)))
                .isInstanceOf(DeviceException.class).hasMessageContaining("WOKWI_CLI_TOKEN").hasMessageContaining("wokwi.com/dashboard/ci");
        Map<String, String> noCli = env(true);
        noCli.put("PATH", tmp.toString());
        assertThatThrownBy(() -> WokwiSettings.load(noCli, null, null, null, Duration.ofMinutes(1)))
                .hasMessageContaining("wokwi-cli is not installed").hasMessageContaining("install.sh");
        assertThatThrownBy(() -> WokwiSettings.load(env(true), STANDIN.toString(), tmp.resolve("nope.bin").toString(), null, Duration.ofMinutes(1)))
                .hasMessageContaining("nope.bin does not exist");
        Map<String, String> noHost = env(true);
        noHost.remove("HIL_SERVER_HOST");
        assertThatThrownBy(() -> WokwiSettings.load(noHost, STANDIN.toString(), null, null, Duration.ofMinutes(1)))
                .hasMessageContaining("--server-host").hasMessageContaining("tunnel");
        assertThat(settings(Duration.ofMinutes(1)).toString()).doesNotContain("wok_test_token_123");
    }

    @Test
    void theStandInRefusesWhatTheRealCliRefuses() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("wokwi.toml"), "[wokwi]\nversion = 2\nfirmware = \"x.bin\"\n");
        Process noToken = new ProcessBuilder(STANDIN.toString(), "--interactive", project.toString()).redirectErrorStream(true).start();
        assertThat(noToken.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(noToken.exitValue()).isEqualTo(1);
        assertThat(new String(noToken.getInputStream().readAllBytes())).contains("Missing WOKWI_CLI_TOKEN");
        ProcessBuilder pb = new ProcessBuilder(STANDIN.toString(), "--interactive", project.toString()).redirectErrorStream(true);
        pb.environment().put("WOKWI_CLI_TOKEN", "t");
        Process badVersion = pb.start();
        assertThat(badVersion.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(badVersion.getInputStream().readAllBytes())).contains("Unsupported wokwi.toml version");
        assertThat(badVersion.exitValue()).isEqualTo(1);
    }

    @Test
    void theSimulationTimeLimitEndsTheRunWithItsExitCode() throws Exception {
        try (WokwiDevice device = WokwiDevice.start(settings(Duration.ofSeconds(3)), "short", tmp.resolve("t"), Duration.ofSeconds(2))) {
            device.console().expect(">>> ", Duration.ofSeconds(20));
            assertThat(device.console().awaitEnd(Duration.ofSeconds(20))).isTrue();
            assertThatThrownBy(device::interruptToRepl).isInstanceOf(DeviceException.class).hasMessageContaining("time limit")
                    .hasMessageContaining("exit code 42");
        }
    }

    @Test
    void aSimulationThatIsGoneCannotBeDrivenQuietly() throws Exception {
        try (WokwiDevice device = WokwiDevice.start(settings(Duration.ofMinutes(1)), "alive", tmp.resolve("a"), Duration.ofSeconds(2))) {
            device.console().expect(">>> ", Duration.ofSeconds(20));
            device.interruptToRepl().exit();
        } catch (ReplException e) {
            throw new AssertionError("a running simulation must take the raw REPL", e);
        }
    }
}
