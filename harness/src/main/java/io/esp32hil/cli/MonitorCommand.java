package io.esp32hil.cli;

import io.esp32hil.device.SerialDevice;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true, description = {"Show a board's serial output with timestamps; lines you type are sent to it.",
        "Type /reset to reset the board, /quit (or end the input) to leave."})
final class MonitorCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @CommandLine.Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--reset", description = "reset the board first, to see it boot")
    boolean reset;

    @Override
    public Integer call() throws Exception {
        try (SerialDevice device = bench.open(Suite.locate(), "monitor")) {
            device.console().onLine((nanos, line) -> System.out.println(LocalTime.now().format(CLOCK) + "  " + line));
            System.err.println("hil: monitoring " + device.path() + " (log: " + device.console().logPath() + ")");
            if (reset) {
                System.err.println("hil: reset by " + device.reset().description());
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("/quit"); ) {
                if (line.equals("/reset")) {
                    System.err.println("hil: reset by " + device.reset().description());
                } else {
                    device.console().write(line + "\r");
                }
            }
        }
        return Hil.PASSED;
    }
}
