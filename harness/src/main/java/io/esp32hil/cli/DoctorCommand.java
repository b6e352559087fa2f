package io.esp32hil.cli;

import com.fazecast.jSerialComm.SerialPort;
import io.esp32hil.sim.NodeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check what this machine has for each target, and say how to get what is missing.")
final class DoctorCommand implements Callable<Integer> {
    private int problems;

    @Override
    public Integer call() {
        Suite suite = Suite.locate();
        check("Java " + Runtime.version().feature(), Runtime.version().feature() >= 17, "install JDK 17 or newer");
        try {
            String node = NodeRuntime.require();
            check("Node.js (" + node + ")", true, "");
        } catch (RuntimeException e) {
            check("Node.js", false, e.getMessage());
        }
        check("simulator packages", Files.isDirectory(suite.home().resolve("simulator/node_modules/@micropython")),
                "run `mvn verify` or `cd simulator && npm ci`");
        System.out.println("  " + engineLine(suite.home().resolve("simulator")));
        check("socat (simulator on a virtual serial port)", onPath("socat"), "apt-get install socat");
        check("python3 (firmware/tools/test_server.py)", onPath("python3"), "apt-get install python3");
        SerialPort[] ports = SerialPort.getCommPorts();
        System.out.printf("  serial ports:%s%n", ports.length == 0 ? " none (a bench board plugs in over USB)" : "");
        for (SerialPort p : ports) {
            String usb = p.getVendorID() < 0 ? "not USB" : String.format("USB %04x:%04x", p.getVendorID(), p.getProductID());
            System.out.printf("    %s  %s  (%s)%n", p.getSystemPortPath(), p.getPortDescription(), usb);
        }
        boolean docker = io.esp32hil.backend.ContainerBackend.dockerAvailable();
        System.out.printf("  %s Docker%s%n", docker ? "ok     " : "absent ", docker ? ""
                : " (only for backends in containers and the interop matrix: sudo ci/docker-setup.sh)");
        boolean wokwi = onPath("wokwi-cli");
        System.out.printf("  %s wokwi-cli%s%n", wokwi ? "ok     " : "absent ", wokwi ? "" : " (only for --target wokwi: https://docs.wokwi.com/wokwi-ci/cli-installation)");
        System.out.println(problems == 0 ? "hil: ready for the simulator target" : "hil: " + problems + " problem(s) above");
        return problems == 0 ? Hil.PASSED : Hil.INFRASTRUCTURE;
    }

    /** Which engine a simulated board runs on, and how to have the other one. */
    static String engineLine(Path simulator) {
        Path built = simulator.resolve("build/native/micropython");
        if (Files.isExecutable(built) && !Files.exists(simulator.resolve("build/native/path-binary"))) {
            return "ok      simulator engine: native (MicroPython's Unix port for a 32-bit CPU, under qemu-i386: " + built
                    + "); the WebAssembly one: hil run --engine wasm";
        }
        if (onPath("micropython")) {
            return "note    simulator engine: native, a micropython from the PATH (a host build: its heap is approximate); our 32-bit"
                    + " build needs crossbuild-essential-i386 and qemu-user (README: Prerequisites); the WebAssembly one: hil run --engine wasm";
        }
        Path why = simulator.resolve("build/native/unavailable");
        String reason;
        try {
            reason = Files.isRegularFile(why) ? Files.readString(why).strip() : "not built yet";
        } catch (java.io.IOException e) {
            reason = "not built yet";
        }
        return "note    simulator engine: WebAssembly; the native one is not available (" + reason
                + "): simulator/native/build.sh builds it (README: Prerequisites)";
    }

    private void check(String what, boolean ok, String fix) {
        System.out.printf("  %s %s%s%n", ok ? "ok     " : "MISSING", what, ok ? "" : ": " + fix);
        if (!ok) {
            problems++;
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
