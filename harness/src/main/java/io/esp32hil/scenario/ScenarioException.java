package io.esp32hil.scenario;

import java.nio.file.Path;

/** A scenario or profile file that cannot be run, with the file and line at fault. */
public final class ScenarioException extends RuntimeException {
    private final Path file;
    private final int line;

    public ScenarioException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** Several files at fault at once: one line each, so a user mends them all in one go. */
    public ScenarioException(java.util.List<ScenarioException> all) {
        super(all.stream().map(Throwable::getMessage).collect(java.util.stream.Collectors.joining("\n"))
                + (all.size() > 1 ? "\n" + all.size() + " problems in the scenario files" : ""));
        this.file = all.get(0).file;
        this.line = all.get(0).line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
