package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;

/** {@code expect_pin: {pin, value}}: waits for the board to drive an output pin to the value. */
final class ExpectPin extends PinStep {
    ExpectPin() {
        super("expect_pin: {pin, value}", "pin", "value", "within");
    }

    @Override
    public void run(Step step, StepContext run) {
        int pin = step.integer("pin", 0);
        int want = step.integer("value", 0);
        Duration within = step.duration("within", DEFAULT_WITHIN);
        if (!run.waits().until(step.describe(), within, () -> run.bench().readPin(pin) == want)) {
            int seen = run.bench().readPin(pin);
            throw run.failure("pin " + pin + " is " + (seen < 0 ? "not driven" : seen) + ", expected " + want + " within " + Durations.format(within));
        }
    }
}
