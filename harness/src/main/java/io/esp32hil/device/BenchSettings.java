package io.esp32hil.device;

import java.io.IOException;
import java.io.Reader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where a bench board is and how it reaches the test server: the serial port, the Wi-Fi it joins,
 * and the host address it is given. From the environment ({@code HIL_PORT}, {@code HIL_WIFI_SSID},
 * {@code HIL_WIFI_PASSWORD}, {@code HIL_SERVER_HOST}) or a git-ignored {@code hil.properties}
 * (serial.port, wifi.ssid, wifi.password, server.host) at the project root; never from the
 * repository, and the password never appears in logs or reports.
 */
public record BenchSettings(String port, int baud, Device.Network network) {

    public static BenchSettings load(Path home, Map<String, String> env, String port, Integer baud, String serverHost) {
        Properties file = new Properties();
        Path props = home.resolve("hil.properties");
        if (Files.isRegularFile(props)) {
            try (Reader r = Files.newBufferedReader(props)) {
                file.load(r);
            } catch (IOException e) {
                throw new DeviceException("cannot read " + props + ": " + e.getMessage());
            }
        }
        // The port first: without a board nothing else matters.
        String chosenPort = pick(port, pick(env.get("HIL_PORT"), file.getProperty("serial.port")));
        if (chosenPort == null) {
            chosenPort = SerialPorts.autoDetect();
        } else if (chosenPort.startsWith("/") && !Files.exists(Path.of(chosenPort))) {
            throw DeviceException.misconfigured("serial port " + chosenPort + " does not exist (given by " + (port != null ? "--port"
                    : env.get("HIL_PORT") != null ? "HIL_PORT" : "serial.port in " + props) + "); ./hil ports lists the ports there are");
        }
        int speed = baud != null ? baud : baud(file.getProperty("serial.baud"), props);
        if (speed < MIN_BAUD || speed > MAX_BAUD) {
            throw DeviceException.misconfigured("--baud " + speed + " is not a serial speed an ESP32 runs at (" + MIN_BAUD + " to " + MAX_BAUD + "; stock MicroPython uses 115200)");
        }
        String ssid = pick(env.get("HIL_WIFI_SSID"), file.getProperty("wifi.ssid"));
        String password = pick(env.get("HIL_WIFI_PASSWORD"), file.getProperty("wifi.password"));
        if (ssid == null) {
            throw DeviceException.misconfigured("the bench board needs Wi-Fi credentials: set HIL_WIFI_SSID and HIL_WIFI_PASSWORD, or wifi.ssid and "
                    + "wifi.password in " + props + " (git-ignored)");
        }
        String host = pick(serverHost, pick(env.get("HIL_SERVER_HOST"), file.getProperty("server.host")));
        return new BenchSettings(chosenPort, speed, new Device.Network(ssid, password == null ? "" : password, host != null ? host : lanAddress()));
    }

    static final int MIN_BAUD = 300;
    static final int MAX_BAUD = 5_000_000;

    private static int baud(String text, Path props) {
        if (text == null || text.isBlank()) {
            return 115200;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw DeviceException.misconfigured("serial.baud in " + props + " is a whole number like 115200, not '" + text.strip() + "'");
        }
    }

    private static String pick(String first, String second) {
        return first != null && !first.isBlank() ? first.strip() : second != null && !second.isBlank() ? second.strip() : null;
    }

    /** This machine's address on the default route, which a board on the same network can reach. */
    public static String lanAddress() {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName("192.0.2.1"), 9); // a documentation address: nothing is sent
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress() || local.isLoopbackAddress()) {
                throw new DeviceException("cannot tell this machine's LAN address; give it with --server-host or HIL_SERVER_HOST");
            }
            return local.getHostAddress();
        } catch (IOException e) {
            throw new DeviceException("cannot tell this machine's LAN address (" + e.getMessage() + "); give it with --server-host or HIL_SERVER_HOST");
        }
    }
}
