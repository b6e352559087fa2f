package io.esp32hil.device;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.esp32hil.console.SerialConsole;
import io.esp32hil.observe.Clock;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An ESP32 on a serial port (USB), through jSerialComm. The console is recorded from the moment
 * the port opens. Reset pulls EN through RTS the way esptool does on boards with the auto-reset
 * circuit, never into the bootloader; where the port has no modem lines (a pseudo-terminal, some
 * adapters) it falls back to {@code machine.reset()} through the REPL, and says which it used. A
 * port that vanishes (native USB re-enumerating after a reset) is opened again when it returns.
 */
public final class SerialDevice implements Device {
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;

    private final String name;
    private final String path;
    private final ReopeningPort port;
    private final SerialConsole console;
    private final Duration timeout;
    private final Network network;
    private final boolean modemLines;

    private SerialDevice(String name, String path, ReopeningPort port, SerialConsole console, Duration timeout, Network network, boolean modemLines) {
        this.name = name;
        this.path = path;
        this.port = port;
        this.console = console;
        this.timeout = timeout;
        this.network = network;
        this.modemLines = modemLines;
    }

    /** Opens the port exclusively at the given speed; errors say how to fix them (busy, permissions, missing). */
    public static SerialDevice open(String path, int baud, String name, Path logDir, Duration timeout, Network network) {
        return open(path, baud, name, logDir, timeout, network, Clock.wall(), new Secrets());
    }

    /** As {@link #open(String, int, String, Path, Duration, Network)}, its logs on the run's clock and the secrets redacted from the first byte. */
    public static SerialDevice open(String path, int baud, String name, Path logDir, Duration timeout, Network network, Clock clock, Secrets secrets) {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw new DeviceException("no serial port at " + path + " (run `hil ports` to see the ports)", e);
        }
        ReopeningPort.configure(port, baud);
        if (!port.openPort()) {
            throw new DeviceException(openError(path, port.getLastErrorCode()));
        }
        // A pseudo-terminal or a bare adapter has no modem lines: the ioctl is refused.
        boolean lines = port.setRTS() && port.clearRTS();
        ReopeningPort reopening = new ReopeningPort(port, path, baud, note -> System.err.println("hil: " + note));
        SerialConsole console = SerialConsole.open(name, reopening.input(), reopening.output(), logDir, clock, secrets);
        return new SerialDevice(name, path, reopening, console, timeout, network, lines);
    }

    static String openError(String path, int errno) {
        return switch (errno) {
            case EAGAIN, EBUSY -> "serial port " + path + " is in use by another program (a serial monitor, mpremote, screen?): close it and try again";
            case EACCES -> "no permission to open " + path + ": add yourself to the dialout group (sudo usermod -aG dialout $USER), then log in again";
            case 2 -> java.nio.file.Files.exists(java.nio.file.Path.of(path))
                    ? "serial port " + path + " is already open (in this program or another): close it and try again"
                    : "no serial port at " + path + " (run `hil ports` to see the ports)";
            default -> "cannot open serial port " + path + " (error " + errno + ")";
        };
    }

    @Override
    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    /** True when the port has modem lines the harness can reset the board with (a USB adapter's DTR/RTS; a pseudo-terminal has none). */
    public boolean hasModemLines() {
        return modemLines;
    }

    @Override
    public SerialConsole console() {
        return console;
    }

    @Override
    public RawRepl interruptToRepl() {
        return RawRepl.entered(console, timeout);
    }

    @Override
    public ResetMethod reset() {
        if (modemLines) {
            // esptool's hard reset: RTS asserted (EN low) with DTR de-asserted (IO0 high), then released.
            SerialPort p = port.current();
            p.clearDTR();
            p.setRTS();
            pause(Duration.ofMillis(100));
            p.clearRTS();
            return ResetMethod.HARDWARE_LINE;
        }
        RawRepl repl = interruptToRepl();
        repl.exit();
        console.write("import machine; machine.reset()\r"); // no answer will come: the board restarts
        return ResetMethod.SOFT_RESET;
    }

    @Override
    public Network network() {
        return network;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the length of the reset pulse itself, not a wait for an event
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        port.close();
        console.close();
    }
}
