package io.esp32hil.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSettingsTest {
    @TempDir
    Path home;

    @Test
    void thePortIsCheckedBeforeTheCredentialsAndBothAreTheUsersToMend() {
        Path none = home.resolve("ttyNone");
        assertThatThrownBy(() -> BenchSettings.load(home, Map.of(), none.toString(), null, "127.0.0.1"))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.configuration()).isTrue())
                .hasMessageContaining("serial port " + none + " does not exist (given by --port)");
        assertThatThrownBy(() -> BenchSettings.load(home, Map.of("HIL_PORT", none.toString()), null, null, "127.0.0.1"))
                .hasMessageContaining("(given by HIL_PORT)");
        assertThatThrownBy(() -> BenchSettings.load(home, Map.of(), "/dev/null", null, "127.0.0.1"))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.configuration()).isTrue())
                .hasMessageContaining("needs Wi-Fi credentials");
    }

    @Test
    void aBadSpeedNamesWhereItCameFrom() throws IOException {
        Map<String, String> env = Map.of("HIL_WIFI_SSID", "lab", "HIL_WIFI_PASSWORD", "pw");
        assertThatThrownBy(() -> BenchSettings.load(home, env, "/dev/null", 0, "127.0.0.1")).hasMessageContaining("--baud 0 is not a serial speed");
        Files.writeString(home.resolve("hil.properties"), "serial.baud=fast\n");
        assertThatThrownBy(() -> BenchSettings.load(home, env, "/dev/null", null, "127.0.0.1"))
                .hasMessageContaining("serial.baud in " + home.resolve("hil.properties") + " is a whole number like 115200, not 'fast'");
        Files.writeString(home.resolve("hil.properties"), "serial.baud=921600\n");
        BenchSettings s = BenchSettings.load(home, env, "/dev/null", null, "127.0.0.1");
        assertThat(s.baud()).isEqualTo(921600);
        assertThat(s.network().toString()).doesNotContain("pw");
    }
}
