package io.esp32hil.engine;

import io.esp32hil.scenario.ConnectionStates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The outcome of one scenario run, with everything the reports show; {@code states} is how its firmware's connection is pictured. */
public record ScenarioResult(
        String name,
        String description,
        Path file,
        List<String> tags,
        String target,
        String backend,
        int repetition,
        Status status,
        long startNanos,
        Duration duration,
        String message,
        FailedStep failedStep,
        List<String> lastSerialLines,
        List<String> lastServerEvents,
        Map<String, Double> metrics,
        List<Timeline.Entry> timeline,
        Path logDir,
        ConnectionStates states) {

    /** The step a failed scenario stopped at: its line, how it reads, and what it waited for. */
    public record FailedStep(int index, int line, String step) {}

    /** The name, then {@code @backend} when it is not the built-in server, then {@code #n} for a repetition. */
    public String displayName() {
        String shown = backend == null || backend.equals(io.esp32hil.backend.BackendSpec.BUILT_IN_NAME) ? name : name + " @" + backend;
        return repetition > 0 ? shown + " #" + repetition : shown;
    }
}
