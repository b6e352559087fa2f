package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.ScenarioException;
import io.esp32hil.scenario.Step;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a step is checked against while its scenario file is read: the file (for the error's place),
 * the firmware profile (its events and their fields), and the marks and metrics the steps before it
 * make, so a step can only name what exists by then.
 */
public final class Scope {
    private final Path file;
    private final FirmwareProfile profile;
    private final Set<String> marks = new HashSet<>();
    private final Set<String> metrics = new HashSet<>();

    public Scope(Path file, FirmwareProfile profile) {
        this.file = file;
        this.profile = profile;
    }

    public FirmwareProfile profile() {
        return profile;
    }

    /** The error for a step, with the file and the step's line. */
    public ScenarioException error(Step step, String message) {
        return new ScenarioException(file, step.line(), message);
    }

    public Pattern regex(Step step, String regex) {
        return FirmwareProfile.compile(file, step.line(), regex);
    }

    public void addMark(String name) {
        marks.add(name);
    }

    public boolean hasMark(String name) {
        return marks.contains(name);
    }

    /** The marks set so far, sorted, as an error lists them. */
    public String knownMarks() {
        return marks.isEmpty() ? "none" : String.join(", ", new TreeSet<>(marks));
    }

    public void addMetrics(List<String> names) {
        metrics.addAll(names);
    }

    public boolean hasMetric(String name) {
        return metrics.contains(name);
    }

    /** An event's fields as an error lists them. */
    static String fieldList(List<String> fields) {
        return fields.isEmpty() ? "it has no fields" : "it has: " + String.join(", ", fields);
    }
}
