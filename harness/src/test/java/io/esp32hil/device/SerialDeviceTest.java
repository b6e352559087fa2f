package io.esp32hil.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.esp32hil.cli.Suite;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.rig.SerialTarget;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.SuiteRunner;
import io.esp32hil.repl.ReplException;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.sim.SimulatedBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench target without a bench: the simulator on a pseudo-terminal stands in for a USB board,
 * driven through jSerialComm exactly as a real one is (and, having no modem lines, reset by the
 * REPL fallback).
 */
class SerialDeviceTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final Device.Network LAB = new Device.Network(SimDevice.SSID, SimDevice.PASSWORD, "127.0.0.1");

    @TempDir
    Path tmp;

    private SimulatedBoard boardOnPty(Path link) {
        SimulatedBoard sim = SimulatedBoard.builder().flashDir(tmp.resolve("flash")).logDir(tmp.resolve("sim")).pty(link)
                .accessPoint(SimDevice.SSID, SimDevice.PASSWORD).joinTime(Duration.ofMillis(300)).start();
        await().atMost(T).until(() -> Files.exists(link));
        return sim;
    }

    @Test
    void theBenchPartOfTheSuitePassesOnABoardBehindASerialPort() throws InterruptedException {
        Path link = tmp.resolve("ttyUSB-sim");
        try (SimulatedBoard sim = boardOnPty(link)) {
            Suite suite = Suite.at(Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize());
            List<Scenario> scenarios = suite.scenarios(List.of(), List.of("smoke", "close", "message", "drop")).stream()
                .filter(s -> s.backend() == null && !s.tags().contains("interop") && !s.tags().contains("proxy")) // backends and proxy faults are covered on the simulator
                // the stand-in board behind it may run on the WebAssembly engine, whose heap is not a board's
                .filter(s -> !s.needs().contains(Capability.REAL_HEAP)).toList();
            SerialTarget target = new SerialTarget(new BenchSettings(link.toString(), 115200, LAB));
            List<ScenarioResult> results = new SuiteRunner(suite.runner(), target, 1, 1, new io.esp32hil.cli.ProgressPrinter(System.out))
                    .run(scenarios, tmp.resolve("run"));
            assertThat(results).isNotEmpty();
            for (ScenarioResult r : results) {
                assertThat(r.status()).as(r.name() + ": " + r.message()).isIn(Status.PASSED, Status.SKIPPED);
            }
            assertThat(results).anyMatch(r -> r.status() == Status.PASSED);
            String log = String.join("\n", results.get(0).timeline().stream().map(e -> e.text()).toList());
            assertThat(log).contains("restarted by soft reset through the REPL (machine.reset())").contains("rst:0xc (SW_CPU_RESET)");
            // the deployment is one entry of the report; its raw-REPL exchange stays in the serial logs
            assertThat(log).containsPattern("deployed \\d+ files, \\d+ unchanged; restarted by").doesNotContain("raw REPL; CTRL-B to exit");
            assertThat(results.get(0).timeline()).noneMatch(e -> e.text().chars().anyMatch(c -> c < 0x20 && c != '\t'));
        }
    }

    @Test
    void aPortThatIsNotThereIsNamed() {
        assertThatThrownBy(() -> SerialDevice.open(tmp.resolve("ttyNothing").toString(), 115200, "x", tmp, T, LAB))
                .isInstanceOf(DeviceException.class).hasMessageContaining("ttyNothing").hasMessageContaining("hil ports");
    }

    @Test
    void aPortInUseSaysSo() throws Exception {
        Path link = tmp.resolve("ttyBusy");
        try (SimulatedBoard sim = boardOnPty(link)) {
            // Another program holds the port, as a serial monitor would (an exclusive lock on it).
            Process holder = new ProcessBuilder("python3", "-c", "import fcntl,os,sys,time\nfd=os.open(sys.argv[1], os.O_RDWR|os.O_NOCTTY)\n"
                    + "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)", link.toString()).start();
            try {
                assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
                assertThatThrownBy(() -> SerialDevice.open(link.toString(), 115200, "second", tmp.resolve("b"), T, LAB))
                        .isInstanceOf(DeviceException.class).hasMessageContaining("in use by another program");
            } finally {
                holder.destroy();
                holder.waitFor(5, TimeUnit.SECONDS);
            }
            try (SerialDevice free = SerialDevice.open(link.toString(), 115200, "first", tmp.resolve("a"), T, LAB)) {
                assertThat(free.hasModemLines()).as("a pseudo-terminal has no modem lines").isFalse();
                assertThatThrownBy(() -> SerialDevice.open(link.toString(), 115200, "again", tmp.resolve("c"), T, LAB))
                        .isInstanceOf(DeviceException.class).hasMessageContaining("already open");
            }
        }
    }

    @Test
    void aSilentBoardTimesOutWithAClearMessage() throws Exception {
        Path a = tmp.resolve("ttyA");
        Process pair = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + tmp.resolve("ttyB")).start();
        try {
            await().atMost(T).until(() -> Files.exists(a));
            try (SerialDevice silent = SerialDevice.open(a.toString(), 115200, "silent", tmp.resolve("s"), Duration.ofSeconds(1), LAB)) {
                assertThatThrownBy(silent::interruptToRepl).isInstanceOf(ReplException.class)
                        .hasMessageContaining("could not enter the raw REPL after 3 attempts").hasMessageContaining("raw REPL; CTRL-B to exit");
            }
        } finally {
            pair.destroy();
            pair.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void credentialsComeFromTheEnvironmentAndArePrintedNowhere() throws IOException {
        String port = Files.writeString(tmp.resolve("ttyUSB7"), "").toString(); // a port that exists
        BenchSettings s = BenchSettings.load(tmp, Map.of("HIL_WIFI_SSID", "lab", "HIL_WIFI_PASSWORD", "hunter2", "HIL_PORT", port,
                "HIL_SERVER_HOST", "192.168.1.20"), null, null, null);
        assertThat(s.port()).isEqualTo(port);
        assertThat(s.network().serverHost()).isEqualTo("192.168.1.20");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> BenchSettings.load(tmp, Map.of(), port, null, "h")).isInstanceOf(DeviceException.class)
                .hasMessageContaining("HIL_WIFI_SSID").hasMessageContaining("hil.properties");
    }

    @Test
    void aPortThatVanishesAndComesBackIsOpenedAgain() throws Exception {
        Path a = tmp.resolve("ttyACM-a");
        Path b = tmp.resolve("ttyACM-b");
        Process pair = socatPair(a, b);
        try (SerialDevice device = SerialDevice.open(a.toString(), 115200, "usb", tmp.resolve("u"), T, LAB)) {
            boardSays(b, "before the reset\n", device);
            device.console().expect("before the reset", T);
            pair.destroy(); // the USB device re-enumerates: its node goes away...
            pair.waitFor(5, TimeUnit.SECONDS);
            await().atMost(T).until(() -> !Files.exists(a));
            pair = socatPair(a, b); // ...and comes back under the same name
            Process again = pair;
            await().atMost(T).until(() -> Files.exists(a) && again.isAlive());
            boardSays(b, "after the reset\n", device);
            device.console().expect("after the reset", T);
        } finally {
            pair.destroy();
            pair.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Process socatPair(Path a, Path b) throws Exception {
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b).start();
        await().atMost(T).until(() -> Files.exists(a) && Files.exists(b));
        return p;
    }

    /** Writes from the far end of the pair, as the board would, until the harness side has received it. */
    private static void boardSays(Path far, String text, SerialDevice device) {
        await().atMost(T).pollInterval(Duration.ofMillis(300)).until(() -> {
            Files.write(far, text.getBytes(), java.nio.file.StandardOpenOption.WRITE);
            return device.console().text().contains(text.strip());
        });
    }
}
