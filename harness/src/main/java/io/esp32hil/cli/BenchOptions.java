package io.esp32hil.cli;

import io.esp32hil.device.BenchSettings;
import io.esp32hil.device.WokwiSettings;
import io.esp32hil.rig.SerialTarget;
import io.esp32hil.rig.SimTarget;
import io.esp32hil.rig.Target;
import io.esp32hil.rig.WokwiTarget;
import io.esp32hil.scenario.ScenarioException;
import picocli.CommandLine.Option;

/** The options that say where a board is (bench or Wokwi); shared by run, deploy and monitor. */
final class BenchOptions {
    @Option(names = "--port", description = "the board's serial port (default: HIL_PORT, hil.properties, or the one ESP32 found)")
    String port;

    @Option(names = "--baud", description = "serial speed (default 115200)")
    Integer baud;

    @Option(names = "--server-host", description = "the address the board is given for the test server (default: this machine's LAN address)")
    String serverHost;

    @Option(names = "--firmware", description = "wokwi: the stock MicroPython ESP32 image (default: HIL_WOKWI_FIRMWARE)")
    String firmware;

    @Option(names = "--wokwi-timeout", defaultValue = "300", description = "wokwi: simulation time limit per scenario, in seconds")
    int wokwiTimeout;

    BenchSettings settings(Suite suite) {
        return BenchSettings.load(suite.home(), System.getenv(), port, baud, serverHost);
    }

    /** Opens the bench board for a command (deploy, monitor); its console log goes to reports/<purpose>/. */
    io.esp32hil.device.SerialDevice open(Suite suite, String purpose) throws java.io.IOException {
        BenchSettings s = settings(suite);
        java.nio.file.Path logs = java.nio.file.Files.createDirectories(suite.reportsDir().resolve(purpose));
        return io.esp32hil.device.SerialDevice.open(s.port(), s.baud(), purpose, logs, java.time.Duration.ofSeconds(30), s.network());
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
            case "wokwi" -> {
                if (wokwiTimeout < 1) {
                    throw new UsageException("--wokwi-timeout " + wokwiTimeout + " is seconds, 1 or more");
                }
                WokwiSettings w = WokwiSettings.load(System.getenv(), System.getProperty("hil.wokwi.cli"), firmware, serverHost,
                        java.time.Duration.ofSeconds(wokwiTimeout));
                System.out.println("hil: Wokwi with " + w.firmware().getFileName() + "; the board reaches the test server at " + w.serverHost());
                yield new WokwiTarget(w);
            }
            default -> throw new ScenarioException(suite.home(), 0, "unknown target '" + name + "' (available: sim, serial, wokwi)");
        };
    }
}
