package io.esp32hil.scenario;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which files of a firmware folder a run puts on a board, as its profile declares them: each board
 * file and the folder's file it comes from; the .py files compiled to .mpy where an mpy-cross can be
 * had; and the library, what a board flashed with the firmware already holds (the rest starts it).
 */
public record FirmwareLayout(Map<String, String> files, List<String> compile, List<String> library) {

    /** {@code files:}, {@code compile:} and {@code library:} of a profile. */
    static FirmwareLayout read(Path file, int line, Object files, Object compile, Object library) {
        if (!(files instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new ScenarioException(file, line, "'files' maps each file on the board to a file in the firmware folder, like {main.py: src/main.py}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((board, local) -> {
            String b = String.valueOf(board);
            String l = String.valueOf(local);
            if (!b.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") || b.contains("..") || !l.matches("[^\\x00]+") || Path.of(l).isAbsolute()
                    || l.contains("..")) {
                throw new ScenarioException(file, line, "'files' maps board paths to paths inside the firmware folder, not " + b + ": " + l);
            }
            out.put(b, l);
        });
        return new FirmwareLayout(out, names(file, line, compile, out.keySet(), "compile"), names(file, line, library, out.keySet(), "library"));
    }

    private static List<String> names(Path file, int line, Object value, Set<String> files, String key) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l) || !files.containsAll(l.stream().map(String::valueOf).toList())) {
            throw new ScenarioException(file, line, "'" + key + "' is a list of board files that 'files' names, not " + value);
        }
        return l.stream().map(String::valueOf).toList();
    }
}
