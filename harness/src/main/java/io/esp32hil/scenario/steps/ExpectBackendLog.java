package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;

/** {@code expect_backend_log: REGEX}: waits for a line of the server's own log. */
final class ExpectBackendLog extends LineExpectation {
    ExpectBackendLog() {
        super("expect_backend_log: REGEX");
    }

    @Override
    Cursor<Line> lines(StepContext run) {
        return run.backendLog();
    }

    @Override
    String noun(StepContext run) {
        return run.backend().testServer().isPresent() ? "server event" : "backend log line";
    }
}
