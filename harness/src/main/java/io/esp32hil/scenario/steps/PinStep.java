package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;

/** A step on one of the board's pins through the bench: it takes {@code pin} and {@code value}, and no value of its own. */
abstract class PinStep extends StepKind {
    PinStep(String usage, String... modifiers) {
        super(usage, Capability.BENCH_CONTROL, modifiers);
    }

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
        wholeNumbers(step, scope, "pin", "value");
    }
}
