package io.esp32hil.device;

import io.esp32hil.console.SerialConsole;
import io.esp32hil.repl.RawRepl;
import java.util.Optional;

/**
 * One board under test, whatever runs it (the simulator, a USB board, Wokwi). Its serial console is
 * recorded from the moment the device is opened; everything else goes through the console (raw
 * REPL) or, where the target has one, the bench control.
 */
public interface Device extends AutoCloseable {
    String name();

    SerialConsole console();

    /** Interrupts whatever runs (Ctrl-C) and enters the raw REPL; the returned client runs code and moves files. */
    RawRepl interruptToRepl();

    /** Restarts the board so that boot.py and main.py run (a raw-REPL soft reset would skip main.py). */
    ResetMethod reset();

    /** Cuts and restores power, where the target can (a scenario that needs it declares power_cycle, so others skip it). */
    default void powerCycle() {
        throw new DeviceException("board '" + name() + "' cannot be power-cycled by the harness");
    }

    /** The bench's control of the board's surroundings (Wi-Fi, pins), where the target has one. */
    default Optional<BenchControl> bench() {
        return Optional.empty();
    }

    /**
     * The heap read while the firmware runs, without stopping it; empty where the target cannot
     * (a board over its serial port, the WebAssembly engine): the heap step then stops the firmware
     * at the REPL to read it and restarts it.
     */
    default Optional<HeapReading> liveHeap() {
        return Optional.empty();
    }

    /** The Wi-Fi network the firmware should join and the host address under which it reaches this machine. */
    Network network();

    /** Why the board can no longer be reached (its simulator or CLI process ended), or empty while it can. */
    default Optional<String> gone() {
        return Optional.empty();
    }

    /**
     * The folder that holds this board's flash when it is a temporary one made for this device alone
     * (a simulated board's): it is gone once the board is closed, so a copy is taken before.
     */
    default Optional<java.nio.file.Path> temporaryFlash() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Where the board's network is: its access point and how it reaches the test server. */
    record Network(String ssid, String password, String serverHost) {
        @Override
        public String toString() {
            return "Network[ssid=" + ssid + ", password=<hidden>, serverHost=" + serverHost + "]";
        }
    }
}
