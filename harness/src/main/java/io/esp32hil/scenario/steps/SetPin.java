package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;

/** {@code set_pin: {pin, value}}: drives one of the board's input pins high or low. */
final class SetPin extends StepKind {
    SetPin() {
        super("set_pin: {pin, value}", Capability.BENCH_CONTROL, "pin", "value", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
        wholeNumbers(step, scope, "pin", "value");
    }

    @Override
    public void run(Step step, StepContext run) {
        run.bench().setPin(step.integer("pin", 0), step.integer("value", 0));
    }
}
