package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;

/** {@code wait: 2s}: waits the time out (an {@code expect} is better wherever there is something to wait for). */
final class Wait extends StepKind {
    Wait() {
        super("wait: 2s", null);
    }

    @Override
    public void check(Step step, Scope scope) {
        String problem = Values.duration(false).problem(step.value());
        if (problem != null) {
            throw scope.error(step, "'wait' " + problem);
        }
    }

    @Override
    public void run(Step step, StepContext run) {
        run.waits().pause(step.describe(), Durations.parse(step.valueText()));
    }
}
