package io.esp32hil.deploy;

import io.esp32hil.scenario.FirmwareLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a run puts on a board: the firmware (manual-upload layout) and a config.py written for
 * the run. Settings are rendered as Python literals; none of them is ever logged here.
 */
public final class FirmwareBundle {
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private FirmwareBundle() {}

    /**
     * The firmware's files as its profile lays them out, from its folder, with the .py files it marks
     * compiled to .mpy where an mpy-cross can be had (see {@link MpyCross}: compiling the client needs
     * more heap than an ESP32 without PSRAM has), else as source.
     */
    public static FirmwareBundle of(FirmwareLayout layout, Path firmwareDir) {
        FirmwareBundle b = new FirmwareBundle();
        Optional<MpyCross> compiler = layout.compile().isEmpty() ? Optional.empty() : MpyCross.find();
        layout.files().forEach((board, local) -> {
            if (compiler.isPresent() && layout.compile().contains(board) && board.endsWith(".py")) {
                String name = board.substring(board.lastIndexOf('/') + 1);
                b.add(board.replaceFirst("\\.py$", ".mpy"), compiler.get().compile(name, read(firmwareDir.resolve(local))));
            } else {
                b.add(board, firmwareDir.resolve(local));
            }
        });
        return b;
    }

    /**
     * The files of the profile's library (modules that start nothing at boot): what a board flashed
     * with this firmware already holds, before a run writes the rest and config.py.
     */
    public static Map<String, byte[]> library(FirmwareLayout layout, Path firmwareDir) {
        Map<String, byte[]> all = new LinkedHashMap<>(of(layout, firmwareDir).files());
        all.keySet().removeIf(f -> !layout.library().contains(f) && !layout.library().contains(f.replaceFirst("\\.mpy$", ".py")));
        return Map.copyOf(all);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read firmware file " + file, e);
        }
    }

    public FirmwareBundle add(String boardPath, Path file) {
        files.put(boardPath, read(file));
        return this;
    }

    public FirmwareBundle add(String boardPath, byte[] content) {
        files.put(boardPath, content);
        return this;
    }

    /** Writes config.py from settings (strings, numbers, booleans, lists, maps). */
    public FirmwareBundle config(Map<String, ?> settings) {
        return add(CONFIG, configText(settings).getBytes(StandardCharsets.UTF_8));
    }

    /** The board path of the settings file. */
    public static final String CONFIG = "config.py";

    /** The text of a config.py with these settings. */
    public static String configText(Map<String, ?> settings) {
        StringBuilder py = new StringBuilder("# written by the HIL harness for this run\n");
        settings.forEach((k, v) -> py.append(k).append(" = ").append(python(v)).append('\n'));
        return py.toString();
    }

    public Map<String, byte[]> files() {
        return Map.copyOf(files);
    }

    /** A Java value as a Python literal. */
    static String python(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("(");
            for (Object o : list) {
                sb.append(python(o)).append(", ");
            }
            return sb.append(")").toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, val) -> sb.append(python(String.valueOf(k))).append(": ").append(python(val)).append(", "));
            return sb.append("}").toString();
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toString().toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c < 32 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
