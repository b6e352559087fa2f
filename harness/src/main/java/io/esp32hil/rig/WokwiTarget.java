package io.esp32hil.rig;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.WokwiDevice;
import io.esp32hil.device.WokwiSettings;
import io.esp32hil.observe.Clock;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Wokwi's simulated ESP32: a fresh simulation per scenario; no bench control from the harness. */
public final class WokwiTarget extends OneBoardTarget {
    private final WokwiSettings settings;

    public WokwiTarget(WokwiSettings settings) {
        super("wokwi", Set.of(Capability.REAL_HEAP));
        this.settings = settings;
    }

    @Override
    public Device open(String name, Path logDir, Map<String, byte[]> flashed, Secrets secrets, Clock clock) {
        return WokwiDevice.start(settings, name, logDir, Duration.ofSeconds(30), clock, secrets);
    }
}
