package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;

/** A step that restarts the board: it takes no value, and the boot it causes is not an unexpected reboot. */
abstract class Restart extends StepKind {
    Restart(String usage, Capability needs) {
        super(usage, needs, "mark");
    }

    /** Restarts the board. */
    abstract void restart(StepContext run);

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        run.expectReboot();
        restart(run);
    }
}
