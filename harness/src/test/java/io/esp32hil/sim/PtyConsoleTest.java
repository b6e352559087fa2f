package io.esp32hil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fazecast.jSerialComm.SerialPort;
import io.esp32hil.console.SerialConsole;
import io.esp32hil.repl.RawRepl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's console on a pseudo-terminal, opened with jSerialComm as a USB board would be. */
class PtyConsoleTest {
    private static final Duration T = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    @Test
    void jSerialCommOpensTheSimulatorsPtyAndRunsTheRawRepl() {
        Path link = tmp.resolve("ttyESP32");
        try (SimulatedBoard sim = SimulatedBoard.builder().flashDir(tmp.resolve("flash")).logDir(tmp.resolve("logs")).pty(link).start()) {
            await().atMost(T).until(() -> Files.exists(link));
            SerialPort port = SerialPort.getCommPort(link.toString());
            port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
            assertThat(port.openPort()).as("open %s", link).isTrue();
            try (SerialConsole console = SerialConsole.open("pty", port.getInputStreamWithSuppressedTimeoutExceptions(),
                    port.getOutputStream(), tmp.resolve("logs"))) {
                // A PTY has no modem lines: a driver must cope with DTR/RTS being refused.
                assertThat(port.setDTR()).isFalse();
                console.write("\r");
                console.expect(">>> ", T);
                RawRepl repl = new RawRepl(console, T);
                repl.enter();
                repl.put("hello.py", "print('over the pty')\n".getBytes());
                assertThat(repl.execOrThrow("import hello")).isEqualTo("over the pty\r\n");
                repl.exit();
            } finally {
                port.closePort();
            }
            assertThat(tmp.resolve("flash/hello.py")).exists();
        }
    }
}
