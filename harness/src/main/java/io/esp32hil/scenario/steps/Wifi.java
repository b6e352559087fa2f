package io.esp32hil.scenario.steps;

import io.esp32hil.device.Capability;
import io.esp32hil.device.WifiLoss;
import io.esp32hil.scenario.Step;

/** {@code wifi: down|up}: takes the access point away (silently or with a deauthentication) and back. */
final class Wifi extends StepKind {
    Wifi() {
        super("wifi: down", Capability.BENCH_CONTROL, "mode", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        if (!"up".equals(step.value()) && !"down".equals(step.value())) {
            throw scope.error(step, "'wifi' is up or down, not '" + step.value() + "'");
        }
    }

    @Override
    public void run(Step step, StepContext run) {
        if (step.valueText().equals("down")) {
            run.bench().wifiDown(WifiLoss.of(step.text("mode")).orElse(WifiLoss.SILENT));
        } else {
            run.bench().wifiUp();
        }
    }
}
