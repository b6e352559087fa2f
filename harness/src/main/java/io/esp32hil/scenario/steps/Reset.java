package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;

/** {@code reset}: restarts the board by the target's reset method. */
final class Reset extends StepKind {
    Reset() {
        super("reset", null, "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        noValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        run.expectReboot();
        run.note("reset by " + run.device().reset().description());
    }
}
