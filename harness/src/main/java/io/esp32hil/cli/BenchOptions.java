package io.esp32hil.cli;

import io.esp32hil.device.BenchSettings;
import io.esp32hil.engine.SerialTarget;
import io.esp32hil.engine.SimTarget;
import io.esp32hil.engine.Target;
import io.esp32hil.scenario.ScenarioException;
import picocli.CommandLine.Option;

/** The options that say where a bench board is; shared by run, deploy and monitor. */
final class BenchOptions {
    @Option(names = "--port", description = "the board's serial port (default: HIL_PORT, hil.properties, or the one ESP32 found)")
    String port;

    @Option(names = "--baud", description = "serial speed (default 115200)")
    Integer baud;

    @Option(names = "--server-host", description = "the address the board is given for the test server (default: this machine's LAN address)")
    String serverHost;

    BenchSettings settings(Suite suite) {
        return BenchSettings.load(suite.home(), System.getenv(), port, baud, serverHost);
    }

    Target target(String name, Suite suite) {
        return switch (name) {
            case "sim" -> new SimTarget();
            case "serial" -> {
                BenchSettings s = settings(suite);
                System.out.println("hil: board on " + s.port() + "; it reaches the test server at " + s.network().serverHost()
                        + " over Wi-Fi '" + s.network().ssid() + "'");
                yield new SerialTarget(s);
            }
            default -> throw new ScenarioException(suite.home(), 0, "unknown target '" + name + "' (available: sim, serial)");
        };
    }
}
