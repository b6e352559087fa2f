package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;

/** {@code expect_line: REGEX}: waits for the next serial line that matches. */
final class ExpectLine extends LineExpectation {
    ExpectLine() {
        super("expect_line: REGEX");
    }

    @Override
    Cursor<Line> lines(StepContext run) {
        return run.serial();
    }

    @Override
    String noun(StepContext run) {
        return "serial line";
    }
}
