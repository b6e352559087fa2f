package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;

/** {@code power_cycle}: takes the board's power away and gives it back. */
final class PowerCycle extends Restart {
    PowerCycle() {
        super("power_cycle", Capability.POWER_CYCLE);
    }

    @Override
    void restart(StepContext run) {
        run.device().powerCycle();
    }
}
