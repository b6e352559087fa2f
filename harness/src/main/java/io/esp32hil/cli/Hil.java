package io.esp32hil.cli;

import io.esp32hil.backend.BackendException;
import io.esp32hil.device.DeviceException;
import io.esp32hil.engine.RunFolder;
import io.esp32hil.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hil} command. Exit codes: 0 all passed, 1 a scenario failed or timed out, 2 a usage or
 * configuration error (a bad scenario file, an unknown option), 3 an infrastructure error (a board,
 * the simulator or a tool that could not be reached).
 */
@Command(name = "hil", mixinStandardHelpOptions = true, version = "hil 0.1.0",
        description = "Hardware-in-the-loop tests for the ESP32 WebSocket client: real boards, the built-in simulator, or Wokwi.",
        subcommands = {RunCommand.class, ListCommand.class, ServeCommand.class, SimCommand.class, DoctorCommand.class, PortsCommand.class,
            DeployCommand.class, MonitorCommand.class})
public final class Hil implements Runnable {
    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INFRASTRUCTURE = 3;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Hil());
        cli.setExitCodeExceptionMapper(e -> e instanceof ScenarioException || e instanceof CommandLine.ParameterException ? USAGE : INFRASTRUCTURE);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            message.lines().forEach(line -> cmd.getErr().println("hil: " + line));
            return e instanceof ScenarioException || e instanceof RunFolder.Unwritable || e instanceof UsageException
                    || e instanceof BackendException b && b.configuration() || e instanceof DeviceException d && d.configuration() ? USAGE : INFRASTRUCTURE;
        });
        return cli.execute(args);
    }
}
