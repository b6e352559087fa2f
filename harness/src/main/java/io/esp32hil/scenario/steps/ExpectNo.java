package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;

/** {@code expect_no: EVENT}: fails if the event appears during the period. */
final class ExpectNo extends StepKind {
    ExpectNo() {
        super("expect_no: EVENT", null, "for", "where");
    }

    @Override
    public void check(Step step, Scope scope) {
        Expect.checkEvent(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        LineSilence.during(step, run, run.serial(), Expect.event(step, run), "serial event '" + step.valueText() + "'" + Where.text(step.map("where")));
    }
}
