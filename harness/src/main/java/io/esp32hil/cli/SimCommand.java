package io.esp32hil.cli;

import io.esp32hil.device.SimDevice;
import io.esp32hil.sim.NodeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sim", mixinStandardHelpOptions = true, description = "A simulated ESP32 with its REPL in this terminal (Ctrl-C goes to the board; Ctrl-] ends it).")
final class SimCommand implements Callable<Integer> {
    @Option(names = "--flash", description = "the board's flash folder (default: a fresh temporary one)")
    Path flash;

    @Option(names = "--pty", description = "also expose the console as a virtual serial port at this path")
    Path pty;

    @Override
    public Integer call() throws Exception {
        Suite suite = Suite.locate();
        Path dir = flash != null ? flash : Files.createTempDirectory("hil-flash");
        List<String> cmd = new ArrayList<>(List.of(NodeRuntime.require(), suite.home().resolve("simulator/bin/esp32sim").toString(),
                "--flash", dir.toString(), "--wifi", SimDevice.SSID + ":" + SimDevice.PASSWORD));
        if (pty != null) {
            cmd.add("--pty");
            cmd.add(pty.toString());
        }
        System.err.println("hil: simulated ESP32, flash in " + dir + ", Wi-Fi '" + SimDevice.SSID + "'");
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor() == 0 ? Hil.PASSED : Hil.INFRASTRUCTURE;
    }
}
