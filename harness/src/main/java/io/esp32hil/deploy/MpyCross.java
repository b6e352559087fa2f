package io.esp32hil.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * MicroPython's compiler to {@code .mpy}. A module as large as the firmware's client cannot be
 * compiled on an ESP32 without PSRAM: the compiler needs more heap than the board has (the
 * simulator's 32-bit engine, with the ESP32's split heap, shows it). Compiled here, it is loaded
 * without compiling. Found as -Dhil.mpy.cross or HIL_MPY_CROSS, the one the simulator's native
 * build made (in the project the hil command names, or above the working folder), or an
 * {@code mpy-cross} on the PATH; without one a module stays source.
 */
public final class MpyCross {
    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>(); // by source hash

    private final Path program;

    private MpyCross(Path program) {
        this.program = program;
    }

    private static final String BUILT = "simulator/build/native/mpy-cross";

    public static Optional<MpyCross> find() {
        String configured = System.getProperty("hil.mpy.cross", System.getenv("HIL_MPY_CROSS"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new MpyCross(Path.of(configured)));
        }
        String home = System.getProperty("hil.home");
        if (home != null && Files.isExecutable(Path.of(home, BUILT))) {
            return Optional.of(new MpyCross(Path.of(home, BUILT)));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(BUILT))) {
                return Optional.of(new MpyCross(dir.resolve(BUILT)));
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "mpy-cross");
            if (Files.isExecutable(p)) {
                return Optional.of(new MpyCross(p));
            }
        }
        return Optional.empty();
    }

    /** The module's .mpy (bytecode for any CPU); a source it cannot compile is the firmware's error, said with its line. */
    public byte[] compile(String name, byte[] source) {
        return COMPILED.computeIfAbsent(name + ":" + Deployer.sha256(source), k -> run(name, source));
    }

    private byte[] run(String name, byte[] source) {
        try {
            Path dir = Files.createTempDirectory("hil-mpy-");
            try {
                Path py = dir.resolve(name);
                Path mpy = dir.resolve(name.replaceFirst("\\.py$", ".mpy"));
                Files.write(py, source);
                // -s: tracebacks name the module as the board has it, not this folder's path
                Process p = new ProcessBuilder(program.toString(), "-s", name, "-o", mpy.toString(), py.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("mpy-cross (" + program + ") cannot compile " + name + ": " + out);
                }
                return Files.readAllBytes(mpy);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run mpy-cross (" + program + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + name);
        }
    }

    /**
     * Whether a board whose {@code sys.implementation._mpy} is this loads the module: the same .mpy
     * version, and for native code also the same sub-version (MicroPython py/persistentcode.c).
     */
    public static boolean loadableBy(byte[] mpy, int boardMpy) {
        if (mpy.length < 4 || mpy[0] != 'M' || (mpy[1] & 0xFF) != (boardMpy & 0xFF)) {
            return false;
        }
        boolean nativeCode = (mpy[2] & 0xFF) >> 2 != 0;
        return !nativeCode || (mpy[2] & 0x03) == (boardMpy >> 8 & 0x03);
    }

    /** The .mpy version a module carries, as "6" (or "6.3" for native code). */
    public static String versionOf(byte[] mpy) {
        if (mpy.length < 4 || mpy[0] != 'M') {
            return "(not an .mpy)";
        }
        return (mpy[1] & 0xFF) + ((mpy[2] & 0xFF) >> 2 != 0 ? "." + (mpy[2] & 0x03) : "");
    }
}
