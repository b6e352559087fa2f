package io.esp32hil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.device.Device;
import io.esp32hil.device.ResetMethod;
import io.esp32hil.device.SimDevice;
import io.esp32hil.server.ServerEvent.Kind;
import io.esp32hil.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployerTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware"));
    private static final io.esp32hil.scenario.FirmwareLayout LAYOUT = io.esp32hil.scenario.FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml")).layout();

    @TempDir
    Path tmp;

    @Test
    void deploysWritesOnlyWhatChangedAndRestartsTheApp() throws java.io.IOException {
        try (TestServer server = TestServer.builder().logDir(tmp.resolve("server")).start();
                SimDevice device = SimDevice.start("dut", tmp.resolve("flash"), tmp.resolve("logs"), T)) {
            device.console().expect(">>> ", T);
            Device.Network net = device.network();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("WIFI_SSID", net.ssid());
            config.put("WIFI_PASSWORD", net.password());
            config.put("WS_URL", server.url());
            config.put("STATUS_INTERVAL_MS", 0);

            // the client goes on compiled where an mpy-cross can be had; an old source of it would shadow it
            boolean compiled = MpyCross.find().isPresent();
            String client = compiled ? "websocket_client.mpy" : "websocket_client.py";
            io.esp32hil.repl.RawRepl repl = device.interruptToRepl(); // on the board's file system, as a user left it
            repl.put("websocket_client.py", "raise ImportError('the stale source ran')\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            repl.exit();
            Deployer.Result first = Deployer.deploy(device, FirmwareBundle.of(LAYOUT, FIRMWARE).config(config).files());
            assertThat(first.written()).containsExactlyInAnyOrder(client, "ws_config.py", "boot.py", "main.py", "config.py");
            assertThat(first.reset()).isEqualTo(ResetMethod.HARDWARE_LINE);
            device.console().expect("[ws] connected url=" + server.url(), T);
            server.log().await(e -> e.kind() == Kind.OPEN, "open", T);

            Deployer.Result same = Deployer.deploy(device, FirmwareBundle.of(LAYOUT, FIRMWARE).config(config).files());
            assertThat(same.written()).isEmpty();
            assertThat(same.unchanged()).hasSize(5);
            assertThat(device.console().text()).contains("[ws] stopped reason=interrupted");
            device.console().expect("[ws] connected url=", T);
            server.log().await(e -> e.kind() == Kind.OPEN && e.connection() == 2, "a second connection", T);

            config.put("PING_INTERVAL_MS", 5000);
            Deployer.Result changed = Deployer.deploy(device, FirmwareBundle.of(LAYOUT, FIRMWARE).config(config).files());
            assertThat(changed.written()).containsExactly("config.py");
            device.console().expect("[ws] connected url=", T); // and every time the client ran, not the stale source
            String listing = device.interruptToRepl().execOrThrow("import os\nprint(sorted(os.listdir()))");
            assertThat(listing.contains("'websocket_client.py'")).isEqualTo(!compiled);
        }
    }

    @Test
    void settingsBecomePythonLiterals() {
        assertThat(FirmwareBundle.python("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
        assertThat(FirmwareBundle.python(java.util.List.of("chat", 2))).isEqualTo("(\"chat\", 2, )");
        assertThat(FirmwareBundle.python(Map.of("X", true))).isEqualTo("{\"X\": True, }");
        assertThat(FirmwareBundle.python(null)).isEqualTo("None");
    }
}
