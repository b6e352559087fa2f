package io.esp32hil.device;

import io.esp32hil.console.SerialConsole;
import io.esp32hil.observe.Clock;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.secrets.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An ESP32 simulated by Wokwi in the cloud, through {@code wokwi-cli --interactive}: the board's
 * serial console is the process's stdio. The harness writes a Wokwi project for the run (wokwi.toml
 * pointing at the stock MicroPython image, a diagram with the parts the scenarios use) and deploys
 * the firmware through the raw REPL like on every target, since wokwi-cli uploads no .py files.
 */
public final class WokwiDevice implements Device {
    /** Wokwi's simulated access point: open, with a gateway to the internet (outgoing only). */
    public static final String SSID = "Wokwi-GUEST";
    public static final int TIMEOUT_EXIT_CODE = 42;

    private final String name;
    private final Process process;
    private final SerialConsole console;
    private final Duration timeout;
    private final Network network;

    private WokwiDevice(String name, Process process, SerialConsole console, Duration timeout, Network network) {
        this.name = name;
        this.process = process;
        this.console = console;
        this.timeout = timeout;
        this.network = network;
    }

    public static WokwiDevice start(WokwiSettings settings, String name, Path logDir, Duration replTimeout) {
        return start(settings, name, logDir, replTimeout, Clock.wall(), new Secrets());
    }

    /** As {@link #start(WokwiSettings, String, Path, Duration)}, its logs on the run's clock and the secrets redacted from the first byte. */
    public static WokwiDevice start(WokwiSettings settings, String name, Path logDir, Duration replTimeout, Clock clock, Secrets secrets) {
        try {
            Path project = Files.createDirectories(logDir.resolve("wokwi-project"));
            Files.writeString(project.resolve("wokwi.toml"), "[wokwi]\nversion = 1\nfirmware = \"" + settings.firmware() + "\"\n");
            Files.writeString(project.resolve("diagram.json"), diagram());
            List<String> cmd = List.of(settings.cli().toString(), "--interactive", "--quiet",
                    "--timeout", String.valueOf(settings.simulationTimeout().toMillis()), "--timeout-exit-code", String.valueOf(TIMEOUT_EXIT_CODE),
                    "--serial-log-file", logDir.resolve(name + ".wokwi-serial.log").toString(), project.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(logDir.resolve(name + ".wokwi-cli.log").toFile());
            pb.environment().put("WOKWI_CLI_TOKEN", settings.token());
            Process process = pb.start();
            SerialConsole console = SerialConsole.open(name, process.getInputStream(), process.getOutputStream(), logDir, clock, secrets);
            return new WokwiDevice(name, process, console, replTimeout, new Network(SSID, "", settings.serverHost()));
        } catch (IOException e) {
            throw new DeviceException("cannot start wokwi-cli: " + e.getMessage(), e);
        }
    }

    /** An ESP32 DevKit with an LED on GPIO2, a potentiometer on GPIO34 and the BOOT button on GPIO0. */
    static String diagram() {
        return """
                {
                  "version": 1,
                  "author": "esp32-websocket-hil",
                  "editor": "wokwi",
                  "parts": [
                    { "type": "board-esp32-devkit-c-v4", "id": "esp", "top": 0, "left": 0, "attrs": {} },
                    { "type": "wokwi-led", "id": "led", "top": -60, "left": 120, "attrs": { "color": "red" } },
                    { "type": "wokwi-resistor", "id": "r1", "top": -20, "left": 160, "attrs": { "value": "220" } },
                    { "type": "wokwi-potentiometer", "id": "pot", "top": 80, "left": 200, "attrs": {} },
                    { "type": "wokwi-pushbutton", "id": "boot", "top": 160, "left": 120, "attrs": { "color": "green" } }
                  ],
                  "connections": [
                    [ "esp:TX", "$serialMonitor:RX", "", [] ],
                    [ "esp:RX", "$serialMonitor:TX", "", [] ],
                    [ "esp:2", "r1:1", "green", [] ],
                    [ "r1:2", "led:A", "green", [] ],
                    [ "led:C", "esp:GND.1", "black", [] ],
                    [ "pot:SIG", "esp:34", "orange", [] ],
                    [ "pot:VCC", "esp:3V3", "red", [] ],
                    [ "pot:GND", "esp:GND.2", "black", [] ],
                    [ "boot:1.l", "esp:0", "green", [] ],
                    [ "boot:2.l", "esp:GND.1", "black", [] ]
                  ]
                }
                """;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SerialConsole console() {
        return console;
    }

    @Override
    public RawRepl interruptToRepl() {
        checkAlive();
        return RawRepl.entered(console, timeout);
    }

    @Override
    public ResetMethod reset() {
        RawRepl repl = interruptToRepl();
        repl.exit();
        console.write("import machine; machine.reset()\r"); // wokwi-cli forwards no DTR/RTS: the REPL is the only reset
        return ResetMethod.SOFT_RESET;
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public Optional<String> gone() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        int code = process.exitValue();
        return Optional.of(code == TIMEOUT_EXIT_CODE ? "the Wokwi simulation reached its time limit (wokwi-cli exit code 42)"
                : "wokwi-cli ended with exit code " + code);
    }

    private void checkAlive() {
        if (process.isAlive() && console.awaitEnd(Duration.ZERO)) {
            // its output has ended, so the process is on its way out: let it finish, to report its exit code
            try {
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Optional<String> gone = gone();
        if (gone.isPresent()) {
            throw new DeviceException(process.exitValue() == TIMEOUT_EXIT_CODE ? gone.get()
                    : gone.get() + "; its messages are in " + name + ".wokwi-cli.log: " + console.lastLines(5));
        }
    }

    @Override
    public void close() {
        console.close();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
