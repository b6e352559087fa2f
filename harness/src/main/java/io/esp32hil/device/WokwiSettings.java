package io.esp32hil.device;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a Wokwi run needs, checked before anything starts: the wokwi-cli program, the token
 * (WOKWI_CLI_TOKEN, passed to the CLI and never logged), a stock MicroPython ESP32 image
 * (--firmware or HIL_WOKWI_FIRMWARE), and the address under which the simulated board, on Wokwi's
 * cloud, reaches the test server (--server-host or HIL_SERVER_HOST: a public host or a tunnel).
 */
public record WokwiSettings(Path cli, String token, Path firmware, String serverHost, Duration simulationTimeout) {
    public static final String INSTALL = "install it with `curl -L https://wokwi.com/ci/install.sh | sh` (see https://docs.wokwi.com/wokwi-ci/cli-installation)";

    public static WokwiSettings load(Map<String, String> env, String cliOverride, String firmware, String serverHost, Duration timeout) {
        Path cli = findCli(cliOverride != null ? cliOverride : env.get("WOKWI_CLI"), env);
        String token = env.get("WOKWI_CLI_TOKEN");
        if (token == null || token.isBlank()) {
            throw new DeviceException("WOKWI_CLI_TOKEN is not set: create a token at https://wokwi.com/dashboard/ci and export it");
        }
        String image = firmware != null ? firmware : env.get("HIL_WOKWI_FIRMWARE");
        if (image == null || !Files.isRegularFile(Path.of(image))) {
            throw new DeviceException(image == null
                    ? "no MicroPython image for Wokwi: pass --firmware or set HIL_WOKWI_FIRMWARE to a stock ESP32_GENERIC .bin (micropython.org/download/ESP32_GENERIC)"
                    : "the MicroPython image " + image + " does not exist");
        }
        String host = serverHost != null ? serverHost : env.get("HIL_SERVER_HOST");
        if (host == null || host.isBlank()) {
            throw new DeviceException("a board on Wokwi reaches only the internet: give the test server's public address with --server-host "
                    + "or HIL_SERVER_HOST (a public host or a tunnel; see the README)");
        }
        return new WokwiSettings(cli, token, Path.of(image).toAbsolutePath(), host, timeout);
    }

    private static Path findCli(String explicit, Map<String, String> env) {
        if (explicit != null) {
            if (!Files.isExecutable(Path.of(explicit))) {
                throw new DeviceException("wokwi-cli at " + explicit + " is not an executable file");
            }
            return Path.of(explicit);
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "wokwi-cli");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new DeviceException("wokwi-cli is not installed: " + INSTALL);
    }

    @Override
    public String toString() {
        return "WokwiSettings[cli=" + cli + ", token=<hidden>, firmware=" + firmware + ", serverHost=" + serverHost + "]";
    }
}
