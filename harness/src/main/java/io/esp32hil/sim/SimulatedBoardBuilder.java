package io.esp32hil.sim;

import io.esp32hil.observe.Clock;
import io.esp32hil.secrets.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Fluent configuration of a simulated board. */
public final class SimulatedBoardBuilder {
    Path simulatorDir = defaultSimulatorDir();
    Path flashDir;
    boolean temporaryFlash;
    Path logDir;
    String name = "sim";
    final Map<String, String> accessPoints = new LinkedHashMap<>();
    Integer joinMs;
    Integer wifiInactiveMs;
    String wrongPassword;
    Integer heapBudget;
    Long seed;
    Path pty;
    String engine = System.getProperty("hil.engine", System.getenv("HIL_ENGINE")); // null: the simulator's default
    boolean control;
    Secrets secrets = new Secrets();
    Clock clock = Clock.wall();

    /** These are redacted in the board's logs from its first byte. */
    /** The run's clock, which the board's logs are stamped on. */
    public SimulatedBoardBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public SimulatedBoardBuilder redactWith(Secrets secrets) {
        this.secrets = secrets;
        return this;
    }

    public SimulatedBoardBuilder simulatorDir(Path dir) {
        this.simulatorDir = dir;
        return this;
    }

    /** The flash folder is this board's alone: the simulator removes it when it powers off, however its parent ends. */
    public SimulatedBoardBuilder temporaryFlash() {
        this.temporaryFlash = true;
        return this;
    }

    public SimulatedBoardBuilder flashDir(Path dir) {
        this.flashDir = dir;
        return this;
    }

    public SimulatedBoardBuilder logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    public SimulatedBoardBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** An access point in range; an empty password makes it open. */
    public SimulatedBoardBuilder accessPoint(String ssid, String password) {
        accessPoints.put(ssid, password);
        return this;
    }

    public SimulatedBoardBuilder joinTime(Duration join) {
        this.joinMs = (int) join.toMillis();
        return this;
    }

    /** How long the station keeps an association whose access point went silent (the simulator's default: ESP-IDF's 6 s). */
    public SimulatedBoardBuilder wifiInactiveTime(Duration inactive) {
        this.wifiInactiveMs = (int) inactive.toMillis();
        return this;
    }

    /** What a wrong password looks like: "handshake-timeout" (the simulator's default) or "auth-fail". */
    public SimulatedBoardBuilder wrongPassword(String variant) {
        this.wrongPassword = variant;
        return this;
    }

    public SimulatedBoardBuilder heapBudget(int bytes) {
        this.heapBudget = bytes;
        return this;
    }

    public SimulatedBoardBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public SimulatedBoardBuilder withControl() {
        this.control = true;
        return this;
    }

    /** The interpreter the board runs on: "wasm" or "native" (esp32sim --engine). */
    public SimulatedBoardBuilder engine(String engine) {
        this.engine = engine;
        return this;
    }

    /** Also offer the console on a pseudo-terminal linked at {@code link} (needs socat). */
    public SimulatedBoardBuilder pty(Path link) {
        this.pty = link;
        return this;
    }

    List<String> options() {
        List<String> args = new ArrayList<>();
        if (!accessPoints.isEmpty()) {
            List<String> aps = new ArrayList<>();
            accessPoints.forEach((ssid, pw) -> aps.add(ssid + ":" + pw));
            args.addAll(List.of("--wifi", String.join(",", aps)));
        }
        if (joinMs != null) {
            args.addAll(List.of("--join-ms", joinMs.toString()));
        }
        if (wifiInactiveMs != null) {
            args.addAll(List.of("--wifi-inactive-ms", wifiInactiveMs.toString()));
        }
        if (wrongPassword != null) {
            args.addAll(List.of("--wrong-password", wrongPassword));
        }
        if (heapBudget != null) {
            args.addAll(List.of("--heap-budget", heapBudget.toString()));
        }
        if (engine != null && !engine.isBlank()) {
            args.addAll(List.of("--engine", engine));
        }
        if (seed != null) {
            args.addAll(List.of("--seed", seed.toString()));
        }
        if (control) {
            args.addAll(List.of("--control", "0"));
        }
        if (pty != null) {
            args.addAll(List.of("--pty", pty.toString()));
        }
        if (temporaryFlash) {
            args.add("--flash-temporary");
        }
        return args;
    }

    /**
     * The engine a board of this builder runs on, "native" or "wasm", as the simulator decides it
     * (the one asked for, else native wherever it can be had; it may build it first). A
     * fallback's one-line reason goes to this process's standard error.
     */
    public String whichEngine() {
        List<String> cmd = new ArrayList<>(List.of(NodeRuntime.require(), simulatorDir.resolve("bin").resolve("esp32sim").toString(), "--which-engine"));
        if (engine != null && !engine.isBlank()) {
            cmd.addAll(List.of("--engine", engine));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SimulatorException("the simulator did not say which engine it runs within 5 minutes");
            }
            if (p.exitValue() != 0 || !(out.equals("native") || out.equals("wasm"))) {
                throw new SimulatorException("the simulator cannot run a board (exit " + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new SimulatorException("cannot start the simulator (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("interrupted while asking the simulator for its engine");
        }
    }

    public SimulatedBoard start() {
        try {
            if (flashDir == null) {
                flashDir = Files.createTempDirectory("esp32-flash-");
            }
            if (logDir == null) {
                logDir = flashDir.resolveSibling(flashDir.getFileName() + "-logs");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a flash directory", e);
        }
        return new SimulatedBoard(this);
    }

    private static Path defaultSimulatorDir() {
        String configured = System.getProperty("hil.simulator.dir", System.getenv("HIL_SIMULATOR_DIR"));
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String home = System.getProperty("hil.home"); // the hil command says where the project is, whatever the working folder
        if (home != null && Files.isRegularFile(Path.of(home, "simulator/bin/esp32sim"))) {
            return Path.of(home, "simulator").toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("simulator/bin/esp32sim"))) {
                return dir.resolve("simulator");
            }
        }
        return Path.of("simulator").toAbsolutePath();
    }
}
