package io.esp32hil.deploy;

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
     * The client, ws_config.py, boot.py and main.py from a firmware folder laid out like this
     * repository's: what a frozen build carries (the client and its frozen settings) plus the
     * manual-upload entry points, so a broken ws_config.py fails the suite as it would fail a build.
     * The client is compiled to websocket_client.mpy where an mpy-cross can be had (see {@link
     * MpyCross}: compiling it needs more heap than an ESP32 without PSRAM has), else it is source.
     */
    public static FirmwareBundle of(Path firmwareDir) {
        FirmwareBundle b = new FirmwareBundle();
        Path client = firmwareDir.resolve("ports/esp32/modules/websocket_client.py");
        Optional<MpyCross> compiler = MpyCross.find();
        if (compiler.isPresent()) {
            b.add(CLIENT_MPY, compiler.get().compile("websocket_client.py", read(client)));
        } else {
            b.add("websocket_client.py", client);
        }
        b.add("ws_config.py", firmwareDir.resolve("ports/esp32/modules/ws_config.py"));
        b.add("boot.py", firmwareDir.resolve("esp32_websocket_client/boot.py"));
        b.add("main.py", firmwareDir.resolve("esp32_websocket_client/main.py"));
        return b;
    }

    private static final String CLIENT_MPY = "websocket_client.mpy";

    /**
     * The modules of a firmware folder that start nothing at boot (the client and its frozen settings):
     * what a board flashed with this firmware already holds, before a run writes boot.py, main.py and
     * config.py.
     */
    public static Map<String, byte[]> library(Path firmwareDir) {
        Map<String, byte[]> all = new LinkedHashMap<>(of(firmwareDir).files());
        all.keySet().retainAll(java.util.Set.of(CLIENT_MPY, "websocket_client.py", "ws_config.py"));
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
