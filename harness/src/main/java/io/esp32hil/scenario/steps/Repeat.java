package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;

/** {@code repeat: N} with {@code steps:}: runs the nested steps N times. */
final class Repeat extends StepKind {
    private static final long MAX = 100_000;

    Repeat() {
        super("repeat: N", null);
    }

    @Override
    public void check(Step step, Scope scope) {
        if (!(step.value() instanceof Long n) || n < 1 || n > MAX) {
            throw scope.error(step, "'repeat' takes a whole number from 1 to " + MAX + ", not " + Values.shown(step.value()));
        }
    }

    @Override
    public boolean takesSteps() {
        return true;
    }

    @Override
    public void run(Step step, StepContext run) throws InterruptedException {
        long n = ((Number) step.value()).longValue();
        for (long i = 0; i < n; i++) {
            run.runSteps(step.steps());
        }
    }
}
