package io.esp32hil.rig;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.device.SimDevice;
import io.esp32hil.observe.Clock;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.sim.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The built-in simulator: a fresh simulated ESP32 for every scenario. */
public final class SimTarget implements Target {
    private Set<Capability> capabilities;

    @Override
    public String name() {
        return "sim";
    }

    /** Everything a target can offer, but a board's heap only on the native engine. */
    @Override
    public synchronized Set<Capability> capabilities() {
        if (capabilities == null) {
            Set<Capability> all = EnumSet.allOf(Capability.class);
            if (SimulatedBoard.builder().whichEngine().equals("wasm")) {
                all.remove(Capability.REAL_HEAP);
            }
            capabilities = Set.copyOf(all);
        }
        return capabilities;
    }

    @Override
    public Device open(String name, Path logDir, Map<String, byte[]> flashed, Secrets secrets, Clock clock) {
        return SimDevice.startFresh(name, logDir, Duration.ofSeconds(30), flashed, secrets, clock);
    }

    @Override
    public Optional<Device.Network> network() {
        return Optional.of(SimDevice.NETWORK);
    }

    @Override
    public int maxParallel() {
        return 16;
    }
}
