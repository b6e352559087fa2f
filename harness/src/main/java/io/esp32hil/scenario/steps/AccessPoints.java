package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.Step;

/** {@code access_points: "ssid:password,..."}: which access points exist around the board. */
final class AccessPoints extends StepKind {
    AccessPoints() {
        super("access_points: \"ssid:password,other:pw\"", Capability.BENCH_CONTROL, "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        someValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        run.bench().setAccessPoints(run.substitute(step.valueText()));
    }
}
