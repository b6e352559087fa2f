package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;

/** {@code expect_log_quiet: REGEX}: fails if the server's own log shows a matching line during the period. */
final class ExpectLogQuiet extends LineSilence {
    ExpectLogQuiet() {
        super("expect_log_quiet: REGEX", "for");
    }

    @Override
    Cursor<Line> lines(StepContext run) {
        return run.backendLog();
    }

    @Override
    String noun() {
        return "line of the server's log";
    }
}
