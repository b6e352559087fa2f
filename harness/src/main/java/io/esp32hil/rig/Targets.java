package io.esp32hil.rig;

import io.esp32hil.device.BenchSettings;
import io.esp32hil.device.WokwiSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The target named by system properties, for runs started from Maven or JUnit:
 * {@code -Dhil.target=sim|serial|wokwi}, with {@code -Dhil.port}, {@code -Dhil.server.host},
 * {@code -Dhil.firmware} (the Wokwi image) and {@code -Dhil.wokwi.cli}; the rest comes from the
 * environment as for the hil command.
 */
public final class Targets {
    private Targets() {}

    public static Target fromSystemProperties(Path home) {
        String name = System.getProperty("hil.target", "sim");
        return switch (name) {
            case "sim" -> new SimTarget();
            case "serial" -> new SerialTarget(BenchSettings.load(home, System.getenv(), System.getProperty("hil.port"), null,
                    System.getProperty("hil.server.host")));
            case "wokwi" -> new WokwiTarget(WokwiSettings.load(System.getenv(), System.getProperty("hil.wokwi.cli"),
                    System.getProperty("hil.firmware"), System.getProperty("hil.server.host"), Duration.ofMinutes(5)));
            default -> throw new IllegalArgumentException("unknown -Dhil.target=" + name + " (available: sim, serial, wokwi)");
        };
    }
}
