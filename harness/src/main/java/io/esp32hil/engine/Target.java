package io.esp32hil.engine;

import io.esp32hil.device.Capability;
import io.esp32hil.device.Device;
import java.nio.file.Path;
import java.util.Set;

/** A kind of board the suite can run on: it says what its boards can do and opens one per scenario. */
public interface Target {
    String name();

    Set<Capability> capabilities();

    /** Opens (powers on, or connects to) a board whose console is recorded into logDir. */
    Device open(String name, Path logDir);

    /** How many boards may run at once (1 for a single bench board). */
    int maxParallel();
}
