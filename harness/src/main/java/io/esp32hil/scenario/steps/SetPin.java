package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;

/** {@code set_pin: {pin, value}}: drives one of the board's input pins high or low. */
final class SetPin extends PinStep {
    SetPin() {
        super("set_pin: {pin, value}", "pin", "value", "mark");
    }

    @Override
    public void run(Step step, StepContext run) {
        run.bench().setPin(step.integer("pin", 0), step.integer("value", 0));
    }
}
