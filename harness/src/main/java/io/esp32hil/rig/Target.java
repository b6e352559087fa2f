package io.esp32hil.rig;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import io.esp32hil.observe.Clock;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A kind of board the suite can run on: it says what its boards can do and opens one per scenario. */
public interface Target {
    String name();

    Set<Capability> capabilities();

    /**
     * Opens (powers on, or connects to) a board whose console is recorded into logDir, its logs on the
     * run's clock and the secrets redacted from the first byte. A simulated board is powered on with
     * the flashed files; a bench board is what it is (a deployment through the raw REPL then writes
     * what differs).
     */
    Device open(String name, Path logDir, Map<String, byte[]> flashed, Secrets secrets, Clock clock);

    /**
     * The network a board of this target joins, when it is known before a board is opened. Then the
     * whole firmware, its config.py included, can be in the flash at power-on, and no deployment is needed.
     */
    default Optional<Device.Network> network() {
        return Optional.empty();
    }

    /** How many boards may run at once (1 for a single bench board). */
    int maxParallel();
}
