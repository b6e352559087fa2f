package io.esp32hil.engine;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.SimDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The built-in simulator: a fresh simulated ESP32 (empty flash) for every scenario. */
public final class SimTarget implements Target {
    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Device open(String name, Path logDir) {
        return open(name, logDir, Map.of());
    }

    @Override
    public Device open(String name, Path logDir, Map<String, byte[]> flashed) {
        return SimDevice.startFresh(name, logDir, Duration.ofSeconds(30), flashed);
    }

    @Override
    public int maxParallel() {
        return 16;
    }
}
