package io.esp32hil.rig;

import io.esp32hil.device.BenchSettings;
import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.SerialDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A bench board on a serial port: one board, so one scenario at a time; no bench control. */
public final class SerialTarget implements Target {
    private final BenchSettings settings;

    public SerialTarget(BenchSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "serial";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.REAL_HEAP); // a reset line may exist, but no scenario depends on it
    }

    @Override
    public Device open(String name, Path logDir) {
        return SerialDevice.open(settings.port(), settings.baud(), name, logDir, Duration.ofSeconds(30), settings.network());
    }

    @Override
    public int maxParallel() {
        return 1;
    }
}
