package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code expect_log_quiet: REGEX}: fails if the server's own log shows a matching line during the period. */
final class ExpectLogQuiet extends StepKind {
    private static final Duration DEFAULT_FOR = Duration.ofSeconds(3);

    ExpectLogQuiet() {
        super("expect_log_quiet: REGEX", null, "for");
    }

    @Override
    public void check(Step step, Scope scope) {
        regexValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        Pattern p = Pattern.compile(run.substitute(step.valueText()));
        Duration period = step.duration("for", DEFAULT_FOR);
        Optional<Line> seen = run.backendLog().none(step.describe(), l -> p.matcher(l.text()).find(), period);
        if (seen.isPresent()) {
            throw run.failure("expected the server's log to show no line matching /" + p.pattern() + "/ for " + Durations.format(period)
                    + ", but it showed: " + seen.get().text());
        }
    }
}
