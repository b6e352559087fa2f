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
 * build made, or an {@code mpy-cross} on the PATH; without one a module stays source.
 */
public final class MpyCross {
    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>(); // by source hash

    private final Path program;

    private MpyCross(Path program) {
        this.program = program;
    }

    public static Optional<MpyCross> find(Path home) {
        String configured = System.getProperty("hil.mpy.cross", System.getenv("HIL_MPY_CROSS"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new MpyCross(Path.of(configured)));
        }
        Path built = home.resolve("simulator/build/native/mpy-cross");
        if (Files.isExecutable(built)) {
            return Optional.of(new MpyCross(built));
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

    /** The .mpy format version a compiled module carries (its header's bytes 1 and 2), as a board's sys.implementation._mpy names it (its low 10 bits). */
    public static int formatOf(byte[] mpy) {
        return mpy.length > 2 && mpy[0] == 'M' ? (mpy[1] & 0xFF) | (mpy[2] & 0x03) << 8 : -1;
    }
}
