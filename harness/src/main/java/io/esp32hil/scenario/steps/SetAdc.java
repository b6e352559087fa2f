package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;

/** {@code set_adc: {pin, value}}: the reading of an ADC input, 16 bits as {@code read_u16()} returns it. */
final class SetAdc extends PinStep {
    private static final Values.Check READING = Values.whole(0, 65535);

    SetAdc() {
        super("set_adc: {pin, value}", "pin", "value", "mark");
    }

    @Override
    public Values.Check modifierCheck(String modifier) {
        return modifier.equals("value") ? READING : super.modifierCheck(modifier);
    }

    @Override
    public void run(Step step, StepContext run) {
        run.bench().setAdc(step.integer("pin", 0), step.integer("value", 0));
    }
}
