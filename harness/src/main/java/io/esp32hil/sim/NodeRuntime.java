package io.esp32hil.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Finds Node.js, which runs the simulator, and says plainly what to install when it is missing or old. */
public final class NodeRuntime {
    public static final int MINIMUM_MAJOR = 18;

    private NodeRuntime() {
    }

    /** Returns the node command to run, or throws {@link SimulatorException} with one sentence saying what to install. */
    public static String require() {
        String node = System.getProperty("hil.node", "node");
        String version;
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new SimulatorException("'" + node + " --version' failed: install Node.js " + MINIMUM_MAJOR
                        + " or newer from https://nodejs.org");
            }
        } catch (IOException e) {
            throw new SimulatorException("Node.js was not found on the PATH: install Node.js " + MINIMUM_MAJOR
                    + " or newer from https://nodejs.org to run the simulator");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("interrupted while checking the Node.js version");
        }
        int major = parseMajor(version);
        if (major < MINIMUM_MAJOR) {
            throw new SimulatorException("Node.js " + version + " is too old: install Node.js " + MINIMUM_MAJOR
                    + " or newer from https://nodejs.org");
        }
        return node;
    }

    static int parseMajor(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
