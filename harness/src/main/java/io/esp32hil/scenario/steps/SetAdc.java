package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;

/** {@code set_adc: {pin, value}}: the reading of an ADC input, 16 bits as {@code read_u16()} returns it. */
final class SetAdc extends StepKind {
    private static final Values.Check READING = Values.whole(0, 65535);

    SetAdc() {
        super("set_adc: {pin, value}", Capability.BENCH_CONTROL, "pin", "value", "mark");
    }

    @Override
    public Values.Check modifierCheck(String modifier) {
        return modifier.equals("value") ? READING : super.modifierCheck(modifier);
    }

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
        wholeNumbers(step, scope, "pin", "value");
    }

    @Override
    public void run(Step step, StepContext run) {
        run.bench().setAdc(step.integer("pin", 0), step.integer("value", 0));
    }
}
