package io.esp32hil.firmware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** The firmware under test as files a board's flash holds (the manual-upload deployment). */
final class Firmware {
    static final Path DIR = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath().normalize();
    static final Path MODULE = DIR.resolve("ports/esp32/modules/websocket_client.py");
    static final Path APP = DIR.resolve("esp32_websocket_client");

    private Firmware() {}

    /** Copies boot.py, main.py and the client into flash and writes config.py from settings. */
    static void deploy(Path flash, Map<String, Object> config) {
        deployLibrary(flash, config);
        try {
            copy(APP.resolve("boot.py"), flash);
            copy(APP.resolve("main.py"), flash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Only the client and config.py: the board boots to the REPL and the client is driven from there.
     * The client as the harness puts it on a board (compiled where an mpy-cross can be had: a board's
     * heap cannot compile it).
     */
    static void deployLibrary(Path flash, Map<String, Object> config) {
        try {
            Files.createDirectories(flash);
            for (Map.Entry<String, byte[]> f : io.esp32hil.deploy.FirmwareBundle.library(io.esp32hil.scenario.FirmwareProfile.load(DIR.resolve("hil-profile.yaml")).layout(), DIR).entrySet()) {
                if (f.getKey().startsWith("websocket_client.")) {
                    Files.write(flash.resolve(f.getKey()), f.getValue());
                }
            }
            Files.writeString(flash.resolve("config.py"), configPy(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copy(Path file, Path dir) throws IOException {
        Files.copy(file, dir.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String configPy(Map<String, Object> config) {
        return config.entrySet().stream()
                .map(e -> e.getKey() + " = " + python(e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** A value written into config.py as it is (a tuple, a dict). */
    record PythonLiteral(String source) {}

    private static String python(Object value) {
        if (value instanceof PythonLiteral literal) {
            return literal.source();
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value);
    }
}
