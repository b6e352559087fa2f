package io.esp32hil.cli;

import io.esp32hil.device.SerialPorts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "ports", mixinStandardHelpOptions = true, description = "List serial ports, marking those that look like an ESP32.")
final class PortsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<SerialPorts.Port> ports = SerialPorts.list();
        for (SerialPorts.Port p : ports) {
            System.out.printf("%-22s %-32s %-9s %s%n", p.path(), p.description(), p.usb(), p.chip() == null ? "" : "<- " + p.chip());
        }
        System.out.println(ports.isEmpty() ? "no serial ports" : ports.size() + " port(s)");
        return Hil.PASSED;
    }
}
