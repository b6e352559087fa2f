package io.esp32hil.device;

import com.fazecast.jSerialComm.SerialPort;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The serial ports on this machine, and which of them look like an ESP32 (by USB vendor and product). */
public final class SerialPorts {
    /** USB-UART bridges found on ESP32 boards, and Espressif's own USB (S2, S3, C3, C6). */
    private static final Map<String, String> KNOWN = Map.of(
            "10c4:ea60", "Silicon Labs CP210x", "1a86:7523", "WCH CH340", "1a86:55d4", "WCH CH9102",
            "0403:6001", "FTDI FT232R", "0403:6010", "FTDI FT2232", "0403:6014", "FTDI FT232H", "0403:6015", "FTDI FT-X");
    private static final int ESPRESSIF = 0x303a;

    /** One port as listed: its path, description, USB ids (-1 when not USB), and the chip it looks like. */
    public record Port(String path, String description, int vendorId, int productId, String chip) {
        public String usb() {
            return vendorId < 0 ? "not USB" : String.format("%04x:%04x", vendorId, productId);
        }
    }

    private SerialPorts() {}

    public static List<Port> list() {
        return Arrays.stream(SerialPort.getCommPorts()).map(p -> {
            int vid = p.getVendorID();
            int pid = p.getProductID();
            String id = String.format("%04x:%04x", vid, pid);
            String chip = vid == ESPRESSIF ? "Espressif native USB" : KNOWN.get(id);
            return new Port(p.getSystemPortPath(), p.getPortDescription(), vid, pid, chip);
        }).toList();
    }

    /** The one port that looks like an ESP32, or an error that lists what was seen and asks for --port. */
    public static String autoDetect() {
        List<Port> all = list();
        List<Port> boards = all.stream().filter(p -> p.chip() != null).toList();
        if (boards.size() == 1) {
            return boards.get(0).path();
        }
        String seen = all.isEmpty() ? "none" : all.stream().map(p -> p.path() + " (" + p.description() + ", " + p.usb() + ")")
                .collect(Collectors.joining(", "));
        throw new DeviceException(boards.isEmpty()
                ? "no ESP32 found on a USB serial port (ports seen: " + seen + "); plug the board in, or name its port with --port"
                : boards.size() + " boards found (" + boards.stream().map(Port::path).collect(Collectors.joining(", "))
                        + "); choose one with --port");
    }
}
