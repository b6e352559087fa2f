package io.esp32hil.engine;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** A kind of board the suite can run on: it says what its boards can do and opens one per scenario. */
public interface Target {
    String name();

    Set<Capability> capabilities();

    /** Opens (powers on, or connects to) a board whose console is recorded into logDir. */
    Device open(String name, Path logDir);

    /**
     * Opens a board that already holds these files in its flash, as a bench board flashed with the
     * firmware does: a simulated board is powered on with them, a bench board is what it is. The
     * deployment that follows still compares and writes through the raw REPL, so only what differs goes over.
     */
    default Device open(String name, Path logDir, Map<String, byte[]> flashed) {
        return open(name, logDir);
    }

    /** How many boards may run at once (1 for a single bench board). */
    int maxParallel();
}
