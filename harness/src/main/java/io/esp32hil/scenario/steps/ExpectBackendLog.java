package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.regex.Pattern;

/** {@code expect_backend_log: REGEX}: waits for a line of the server's own log. */
final class ExpectBackendLog extends StepKind {
    ExpectBackendLog() {
        super("expect_backend_log: REGEX", null, "within", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        regexValue(step, scope);
    }

    @Override
    public boolean marksWhenDone() {
        return false;
    }

    @Override
    public void run(Step step, StepContext run) {
        Pattern p = Pattern.compile(run.substitute(step.valueText()));
        Duration within = step.duration("within", DEFAULT_WITHIN);
        Line hit = run.backendLog().await(step.describe(), l -> p.matcher(l.text()).find(), within)
                .orElseThrow(() -> run.failure("no " + (run.backend().testServer().isPresent() ? "server event" : "backend log line") + " matching /"
                        + p.pattern() + "/ within " + Durations.format(within)));
        run.mark(step, hit.nanos());
    }
}
