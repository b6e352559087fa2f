package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.scenario.Scenario;

/** One scenario against one backend; {@code skip} says why it cannot run here (null: it runs). */
public record Job(Scenario scenario, BackendSpec backend, String skip) {
    /** The scenario against the built-in server; one that names another backend is skipped, not run against the wrong server. */
    public static Job of(Scenario scenario) {
        String skip = scenario.backend() == null || scenario.backend().equals(BackendSpec.BUILT_IN_NAME) ? null
                : "it names backend '" + scenario.backend() + "', and this run has only the built-in server";
        return new Job(scenario, BackendSpec.BUILT_IN, skip);
    }
}
