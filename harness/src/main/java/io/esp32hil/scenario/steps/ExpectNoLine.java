package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;

/** {@code expect_no_line: REGEX}: fails if a matching serial line appears during the period. */
final class ExpectNoLine extends LineSilence {
    ExpectNoLine() {
        super("expect_no_line: REGEX", "for");
    }

    @Override
    Cursor<Line> lines(StepContext run) {
        return run.serial();
    }

    @Override
    String noun() {
        return "serial line";
    }
}
