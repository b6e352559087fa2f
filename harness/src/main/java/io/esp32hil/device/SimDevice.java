package io.esp32hil.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.esp32hil.console.SerialConsole;
import io.esp32hil.observe.Clock;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.secrets.Secrets;
import io.esp32hil.sim.ControlClient;
import io.esp32hil.sim.SimulatedBoard;
import io.esp32hil.sim.SimulatedBoardBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A {@link Device} on the built-in simulator: a simulated ESP32 with its bench control channel. */
public final class SimDevice implements Device {
    /** The simulated access point; a simulated board's credentials are not secrets. */
    public static final String SSID = "hil-lab";
    public static final String PASSWORD = "hil-lab-pass";
    /** What a simulated board joins, known before one exists. */
    public static final Network NETWORK = new Network(SSID, PASSWORD, "127.0.0.1");

    private final String name;
    private final SimulatedBoard board;
    private final Duration timeout;
    private final Path temporaryFlash;
    private String engine; // "native" or "wasm", asked of the simulator once

    private SimDevice(String name, SimulatedBoard board, Duration timeout, Path temporaryFlash) {
        this.name = name;
        this.board = board;
        this.timeout = timeout;
        this.temporaryFlash = temporaryFlash;
    }

    /** Powers on a simulated board whose flash is the given folder; its logs go to logDir. */
    public static SimDevice start(String name, Path flashDir, Path logDir, Duration timeout) {
        return new SimDevice(name, board(name, flashDir, logDir).start(), timeout, null);
    }

    /**
     * Powers on a simulated board with an empty flash of its own in a temporary folder, outside the
     * logs: the flash holds config.py with the run's credentials, so only a redacted copy of it may
     * reach a report ({@link #temporaryFlash()}). The simulator removes the folder when it powers off,
     * also when this JVM is killed (it notices it is orphaned).
     */
    public static SimDevice startFresh(String name, Path logDir, Duration timeout) {
        return startFresh(name, logDir, timeout, Map.of(), new Secrets(), Clock.wall());
    }

    /**
     * As {@link #startFresh(String, Path, Duration)}, with these files in the flash at power-on and
     * the secrets redacted in the board's logs from its first byte, which are stamped on the run's clock.
     */
    public static SimDevice startFresh(String name, Path logDir, Duration timeout, Map<String, byte[]> flashed, Secrets secrets,
            Clock clock) {
        Path flash;
        try {
            flash = java.nio.file.Files.createTempDirectory("hil-flash-");
            for (Map.Entry<String, byte[]> f : flashed.entrySet()) {
                java.nio.file.Files.write(flash.resolve(f.getKey()), f.getValue());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a flash folder for a simulated board", e);
        }
        return new SimDevice(name, board(name, flash, logDir).temporaryFlash().redactWith(secrets).clock(clock).start(), timeout, flash);
    }

    private static SimulatedBoardBuilder board(String name, Path flashDir, Path logDir) {
        return SimulatedBoard.builder()
                .name(name)
                .flashDir(flashDir)
                .logDir(logDir)
                .accessPoint(SSID, PASSWORD)
                .joinTime(Duration.ofMillis(300))
                .withControl();
    }

    @Override
    public Optional<String> gone() {
        return board.exited();
    }

    @Override
    public Optional<Path> temporaryFlash() {
        return Optional.ofNullable(temporaryFlash);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SerialConsole console() {
        return board.console();
    }

    @Override
    public RawRepl interruptToRepl() {
        return RawRepl.entered(board.console(), timeout);
    }

    @Override
    public ResetMethod reset() {
        board.control().pressReset();
        return ResetMethod.HARDWARE_LINE;
    }

    @Override
    public void powerCycle() {
        board.control().powerCycle();
    }

    @Override
    public Optional<HeapReading> liveHeap() {
        if (onWebAssembly()) {
            return Optional.empty(); // it collects garbage only between top-level runs
        }
        JsonNode h = board.control().liveHeap();
        return Optional.of(new HeapReading(h.path("used").asLong(), h.path("free").asLong(), h.path("largest_free").asLong()));
    }

    /** The WebAssembly engine's heap is not a board's: it cannot be read while a program runs. */
    private synchronized boolean onWebAssembly() {
        if (engine == null) {
            engine = board.control().command("info").path("engine").asText();
        }
        return engine.equals("wasm");
    }

    @Override
    public Optional<BenchControl> bench() {
        ControlClient control = board.control();
        return Optional.of(new BenchControl() {
            @Override
            public void wifiDown(WifiLoss loss) {
                control.wifiDown(loss.word());
            }

            @Override
            public void wifiUp() {
                control.wifiUp();
            }

            @Override
            public void setAccessPoints(String spec) {
                control.setAccessPoints(spec);
            }

            @Override
            public void setPin(int pin, int value) {
                control.setPin(pin, value);
            }

            @Override
            public void setAdc(int pin, int value16) {
                control.setAdc(pin, value16);
            }

            @Override
            public int readPin(int pin) {
                var v = control.pins().path("outputs").path(String.valueOf(pin));
                return v.isMissingNode() || v.isNull() ? -1 : v.asInt();
            }
        });
    }

    @Override
    public Network network() {
        return NETWORK;
    }

    public SimulatedBoard board() {
        return board;
    }

    @Override
    public void close() {
        board.close();
    }
}
