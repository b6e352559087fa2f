package io.esp32hil.rig;

import io.esp32hil.device.BenchSettings;
import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.SerialDevice;
import io.esp32hil.observe.Clock;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A bench board on a serial port: one board, so one scenario at a time; no bench control. */
public final class SerialTarget extends OneBoardTarget {
    private final BenchSettings settings;

    public SerialTarget(BenchSettings settings) {
        super("serial", Set.of(Capability.REAL_HEAP)); // a serial port's reset line may exist, but no scenario depends on it
        this.settings = settings;
    }

    @Override
    public Device open(String name, Path logDir, Map<String, byte[]> flashed, Secrets secrets, Clock clock) {
        return SerialDevice.open(settings.port(), settings.baud(), name, logDir, Duration.ofSeconds(30), settings.network(), clock, secrets);
    }
}
