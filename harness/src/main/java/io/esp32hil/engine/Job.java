package io.esp32hil.engine;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.scenario.Scenario;

/** One scenario against one backend; {@code skip} says why it cannot run here (null: it runs). */
public record Job(Scenario scenario, BackendSpec backend, String skip) {
    public static Job of(Scenario scenario) {
        return new Job(scenario, BackendSpec.BUILT_IN, null);
    }
}
