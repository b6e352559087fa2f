package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;

/** {@code power_cycle}: takes the board's power away and gives it back. */
final class PowerCycle extends StepKind {
    PowerCycle() {
        super("power_cycle", Capability.POWER_CYCLE, "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        run.expectReboot();
        run.device().powerCycle();
    }
}
