package io.esp32hil.scenario.steps;

/** {@code reset}: restarts the board by the target's reset method. */
final class Reset extends Restart {
    Reset() {
        super("reset", null);
    }

    @Override
    void restart(StepContext run) {
        run.note("reset by " + run.device().reset().description());
    }
}
