package io.esp32hil.cli;

import io.esp32hil.engine.ScenarioRunner;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioException;
import io.esp32hil.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The project as the harness sees it: the firmware, its profile, the scenarios and their defaults. */
public final class Suite {
    private final Path home;
    private final FirmwareProfile profile;
    private final Map<String, Object> defaults;

    private Suite(Path home) {
        this.home = home;
        this.profile = FirmwareProfile.load(home.resolve("firmware/hil-profile.yaml"));
        this.defaults = ScenarioLoader.loadDefaults(home.resolve("scenarios/defaults.yaml"));
    }

    /** The repository at hil.home, or the nearest folder upwards from here that has firmware/ and scenarios/. */
    public static Suite locate() {
        String configured = System.getProperty("hil.home");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("firmware")) && Files.isDirectory(p.resolve("scenarios"))) {
                return new Suite(p);
            }
        }
        throw new ScenarioException(dir, 0, "not inside the project: no firmware/ and scenarios/ folders here or above (set -Dhil.home)");
    }

    public static Suite at(Path home) {
        return new Suite(home);
    }

    public Path home() {
        return home;
    }

    public Path scenariosDir() {
        return home.resolve("scenarios");
    }

    public Path reportsDir() {
        return home.resolve("reports");
    }

    public FirmwareProfile profile() {
        return profile;
    }

    /** The scenarios in the given files or folders (all of scenarios/ when none), with any of the tags (all when none). */
    public List<Scenario> scenarios(List<Path> paths, List<String> tags) {
        List<Path> where = paths.isEmpty() ? List.of(scenariosDir()) : paths;
        List<Scenario> all = new ScenarioLoader(profile).loadAll(where);
        for (Scenario s : all) {
            if (s.app() != null && !Files.isRegularFile(home.resolve("firmware").resolve(s.app()))) {
                throw new ScenarioException(s.file(), 0, "app '" + s.app() + "' is not a file in " + home.resolve("firmware"));
            }
        }
        return all.stream().filter(s -> tags.isEmpty() || s.tags().stream().anyMatch(tags::contains)).toList();
    }

    public ScenarioRunner runner() {
        return new ScenarioRunner(profile, home.resolve("firmware"), defaults);
    }
}
