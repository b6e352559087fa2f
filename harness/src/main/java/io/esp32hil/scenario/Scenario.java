package io.esp32hil.scenario;

import io.esp32hil.device.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario file, checked: everything in it is known and well-formed. {@code app} is a file of the
 * firmware folder deployed as main.py instead of the firmware's own (e.g. examples/advanced_example.py).
 */
public record Scenario(
        String name,
        String description,
        Path file,
        List<String> tags,
        Set<Capability> needs,
        Duration timeout,
        Map<String, Object> config,
        Map<String, Boolean> tripwires,
        ServerSetup server,
        String app,
        List<Step> steps) {

    /** How the test server starts for this scenario. */
    public record ServerSetup(boolean tls, String path, List<String> subprotocols, boolean echo) {
        public static final ServerSetup DEFAULT = new ServerSetup(false, "/ws", List.of(), true);
    }
}
