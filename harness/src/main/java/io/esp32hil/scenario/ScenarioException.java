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

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
