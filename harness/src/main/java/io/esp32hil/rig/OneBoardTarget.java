package io.esp32hil.rig;

import io.esp32hil.device.Capability;
import java.util.Set;

/** A target of one board at a time whose boards always can the same things: a serial port's, Wokwi's. */
abstract class OneBoardTarget implements Target {
    private final String name;
    private final Set<Capability> capabilities;

    OneBoardTarget(String name, Set<Capability> capabilities) {
        this.name = name;
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public final int maxParallel() {
        return 1;
    }
}
