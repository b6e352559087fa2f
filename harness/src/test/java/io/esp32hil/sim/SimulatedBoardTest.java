package io.esp32hil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.esp32hil.console.ConsoleTimeoutException;
import io.esp32hil.console.SerialConsole;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.repl.RemoteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedBoardTest {
    private static final Duration T = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private SimulatedBoardBuilder board() {
        return SimulatedBoard.builder().flashDir(tmp.resolve("flash")).logDir(tmp.resolve("logs"));
    }

    @Test
    void bootRunsMainPyAndOffersTheRepl() throws IOException {
        Files.createDirectories(tmp.resolve("flash"));
        Files.writeString(tmp.resolve("flash/main.py"), "print('app started')\n");
        try (SimulatedBoard sim = board().start()) {
            SerialConsole console = sim.console();
            console.expect("rst:0x1 (POWERON_RESET)", T);
            console.expect("app started\r\n", T);
            console.expect(">>> ", T);
            console.write("print(2**10)\r");
            assertThat(console.expect(java.util.regex.Pattern.compile("(\\d+)\r\n"), T).group(1)).isEqualTo("1024");
        }
        assertThat(Files.readString(tmp.resolve("logs/sim.log"))).contains("app started");
    }

    @Test
    void aCtrlCSignalIsTheHarnesssToActOnNotTheBoardsToDieOf() throws Exception {
        try (SimulatedBoard sim = board().start()) {
            sim.console().expect(">>> ", T);
            // what a Ctrl-C at the terminal sends the whole job, simulator included
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(sim.pid())).start();
            assertThat(kill.waitFor()).isZero();
            sim.console().write("print(6 * 7)\r");
            sim.console().expect("42\r\n", T);
            assertThat(sim.isAlive()).isTrue();
            assertThat(sim.exited()).isEmpty();
        }
    }

    @Test
    void aFailedWaitNamesThePatternTheTimeAndTheLastLines() {
        try (SimulatedBoard sim = board().start()) {
            sim.console().expect(">>> ", T);
            assertThatThrownBy(() -> sim.console().expect("never printed", Duration.ofMillis(300)))
                    .isInstanceOf(ConsoleTimeoutException.class)
                    .hasMessageContaining("never printed")
                    .hasMessageContaining("0.3 s")
                    .hasMessageContaining("| >>> ")
                    .hasMessageContaining("sim.log");
        }
    }

    @Test
    void rawReplPutsAFileThatSurvivesAHardReset() {
        try (SimulatedBoard sim = board().withControl().start()) {
            sim.console().expect(">>> ", T);
            RawRepl repl = new RawRepl(sim.console(), T);
            repl.enter();
            byte[] content = "print('deployed')\n# ünïcode and \\ quotes ' \" \n".repeat(20).getBytes(StandardCharsets.UTF_8);
            repl.put("main.py", content);
            assertThat(repl.list("/")).contains("main.py");
            assertThat(repl.get("main.py")).isEqualTo(content);
            assertThat(tmp.resolve("flash/main.py")).hasBinaryContent(content);
            assertThat(repl.exec("print(1)\nraise ValueError('boom')").stderr()).contains("ValueError: boom");
            assertThatThrownBy(() -> repl.execOrThrow("import nosuchmodule")).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("ImportError");

            sim.control().pressReset();
            sim.console().expect("rst:0x1 (POWERON_RESET)", T);
            sim.console().expect("deployed\r\n", T);
            sim.console().expect(">>> ", T);
        }
    }

    @Test
    void softResetFromTheRawReplRunsBootButNotMain() throws IOException {
        Files.createDirectories(tmp.resolve("flash"));
        Files.writeString(tmp.resolve("flash/boot.py"), "print('boot.py ran')\n");
        Files.writeString(tmp.resolve("flash/main.py"), "print('main.py ran')\n");
        try (SimulatedBoard sim = board().start()) {
            sim.console().expect("main.py ran", T);
            sim.console().expect(">>> ", T);
            RawRepl repl = new RawRepl(sim.console(), T);
            repl.enter();
            repl.softReset();
            assertThat(repl.execOrThrow("print('back')")).isEqualTo("back\r\n");
            repl.exit();
            assertThat(sim.console().text().split("main.py ran", -1)).hasSize(2);
        }
    }

    @Test
    void aDeauthenticatingAccessPointFailsNewSocketsAndTheDriverRejoinsByItself() {
        try (SimulatedBoard sim = board().accessPoint("bench", "secret").joinTime(Duration.ofMillis(100)).withControl().start()) {
            sim.console().expect(">>> ", T);
            RawRepl repl = new RawRepl(sim.console(), T);
            repl.enter();
            repl.execOrThrow("import network\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('bench', 'secret')");
            await().atMost(T).until(() -> repl.execOrThrow("print(w.isconnected())").contains("True"));
            sim.control().wifiDown("deauth");
            // the port's driver is reconnecting: CONNECTING, then NO_AP_FOUND once a retry scan fails
            assertThat(repl.execOrThrow("print(w.isconnected(), w.status() in (network.STAT_CONNECTING, network.STAT_NO_AP_FOUND))"))
                    .isEqualTo("False True\r\n");
            assertThat(repl.exec("import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 9))").stderr())
                    .contains("EHOSTUNREACH");
            sim.control().wifiUp();
            await().atMost(T).until(() -> repl.execOrThrow("print(w.isconnected())").contains("True"));
        }
    }

    @Test
    void theSimulatorEndsWhenItsStdinCloses() {
        SimulatedBoard sim = board().start();
        sim.console().expect(">>> ", T);
        sim.console().close();
        assertThat(sim.awaitExit(T)).isZero();
        sim.close();
    }

    @Test
    void nodeVersionsAreParsed() {
        assertThat(NodeRuntime.parseMajor("v20.20.2")).isEqualTo(20);
        assertThat(NodeRuntime.parseMajor("v16.3.0")).isLessThan(NodeRuntime.MINIMUM_MAJOR);
        assertThat(NodeRuntime.parseMajor("garbage")).isEqualTo(-1);
    }

    @Test
    void aMissingNodeIsOneClearSentence() {
        String saved = System.getProperty("hil.node");
        System.setProperty("hil.node", tmp.resolve("no-such-node").toString());
        try {
            assertThatThrownBy(NodeRuntime::require).isInstanceOf(SimulatorException.class)
                    .hasMessage("Node.js was not found on the PATH: install Node.js 18 or newer from https://nodejs.org to run the simulator");
        } finally {
            if (saved == null) {
                System.clearProperty("hil.node");
            } else {
                System.setProperty("hil.node", saved);
            }
        }
    }
}
