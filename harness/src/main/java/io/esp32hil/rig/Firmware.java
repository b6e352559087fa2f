package io.esp32hil.rig;

import io.esp32hil.deploy.FirmwareBundle;
import io.esp32hil.device.Device;
import io.esp32hil.scenario.FirmwareLayout;
import io.esp32hil.secrets.Secrets;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The firmware a testbed's board runs: the firmware folder's files with a config.py for this run
 * (the network, the server's URL and certificate, then the caller's settings, whose ${name} values
 * are filled from the run's), and optionally another main.py.
 */
final class Firmware {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    /** What was written: the settings, the values settings and scenarios refer to, and the files. */
    record Written(Map<String, Object> config, Map<String, String> variables, Map<String, byte[]> files) {}

    private final FirmwareLayout layout;
    private final Path dir;
    private final Map<String, Object> base;
    private final Map<String, Object> settings;
    private final String app;

    Firmware(FirmwareLayout layout, Path dir, Map<String, Object> base, Map<String, Object> settings, String app) {
        this.layout = layout;
        this.dir = dir;
        this.base = base;
        this.settings = settings;
        this.app = app;
    }

    /** The firmware for a board on this network that reaches its server at url; credentials become the run's secrets. */
    Written write(Device.Network net, String url, String backendName, Optional<String> tlsFingerprint, Secrets secrets) {
        secrets.add(net.password());
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("server_url", url);
        vars.put("server_host", net.serverHost());
        vars.put("server_port", String.valueOf(URI.create(url).getPort()));
        vars.put("ssid", net.ssid());
        vars.put("backend", backendName);
        Map<String, Object> config = new LinkedHashMap<>(base);
        config.put("WIFI_SSID", net.ssid());
        config.put("WIFI_PASSWORD", net.password());
        config.put("WS_URL", url);
        tlsFingerprint.ifPresent(f -> config.put("TLS_FINGERPRINT", f));
        settings.forEach((k, v) -> config.put(k, v instanceof String s ? substitute(s, vars) : v));
        secrets.addSettings(config);
        FirmwareBundle bundle = FirmwareBundle.of(layout, dir).config(config);
        if (app != null) {
            bundle.add("main.py", dir.resolve(app));
        }
        return new Written(java.util.Collections.unmodifiableMap(config), Map.copyOf(vars), bundle.files());
    }

    /** The text with each ${name} the run knows replaced; unknown ones stay as they are. */
    static String substitute(String s, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(sb).toString();
    }
}
