package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.regex.Pattern;

/** {@code expect_line: REGEX}: waits for the next serial line that matches. */
final class ExpectLine extends StepKind {
    ExpectLine() {
        super("expect_line: REGEX", null, "within", "mark");
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
        Line hit = run.serial().await(step.describe(), l -> p.matcher(l.text()).find(), within)
                .orElseThrow(() -> run.failure("no serial line matching /" + p.pattern() + "/ within " + Durations.format(within)));
        run.mark(step, hit.nanos());
    }
}
