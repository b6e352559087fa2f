package io.esp32hil.cli;

import io.esp32hil.backend.BackendException;
import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.engine.Job;
import io.esp32hil.engine.ScenarioRunner;
import io.esp32hil.scenario.BackendLoader;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Scenario;
import io.esp32hil.scenario.ScenarioException;
import io.esp32hil.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The project as the harness sees it: the firmware, its profile, the scenarios, their defaults and the backends. */
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
        List<Scenario> all = new ScenarioLoader(profile, home.resolve("firmware")).loadAll(where);
        for (Scenario s : all) {
            if (s.backend() != null) {
                backends().resolve(s.backend(), s.file(), 0);
            }
        }
        return all.stream().filter(s -> tags.isEmpty() || s.tags().stream().anyMatch(tags::contains)).toList();
    }

    public BackendLoader backends() {
        return new BackendLoader(scenariosDir().resolve(io.esp32hil.scenario.ScenarioLoader.BACKENDS_DIR));
    }

    /**
     * The run's jobs: each scenario against each chosen backend (the built-in server when none is
     * chosen), or only against the one it names itself. A chosen container backend that cannot start
     * (no Docker, no image) fails the whole run with a {@link BackendException}; a scenario's own
     * backend that cannot is reported as skipped, with the reason, and the rest runs.
     */
    public List<Job> jobs(List<Scenario> scenarios, List<String> chosenNames) {
        BackendLoader loader = backends();
        List<BackendSpec> chosen = new ArrayList<>();
        for (String name : chosenNames.isEmpty() ? List.of(BackendSpec.BUILT_IN_NAME) : chosenNames) {
            BackendSpec spec = loader.resolve(name, scenariosDir(), 0);
            if (!spec.builtIn()) {
                ContainerBackend.check(spec);
            }
            chosen.add(spec);
        }
        Map<String, Optional<String>> cannotStart = new HashMap<>(); // checked once per backend
        List<Job> jobs = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (s.backend() == null) {
                chosen.forEach(b -> jobs.add(new Job(s, b, null)));
                continue;
            }
            BackendSpec own = loader.resolve(s.backend(), s.file(), 0);
            String skip = own.builtIn() ? null : cannotStart.computeIfAbsent(own.name(), n -> whyNot(own)).orElse(null);
            jobs.add(new Job(s, own, skip));
        }
        return jobs;
    }

    private static Optional<String> whyNot(BackendSpec container) {
        try {
            ContainerBackend.check(container);
            return Optional.empty();
        } catch (BackendException e) {
            return Optional.of(e.getMessage());
        }
    }

    public ScenarioRunner runner() {
        return new ScenarioRunner(profile, home.resolve("firmware"), defaults);
    }
}
