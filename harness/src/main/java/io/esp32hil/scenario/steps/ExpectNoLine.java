package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@code expect_no_line: REGEX}: fails if a matching serial line appears during the period. */
final class ExpectNoLine extends StepKind {
    private static final Duration DEFAULT_FOR = Duration.ofSeconds(3);

    ExpectNoLine() {
        super("expect_no_line: REGEX", null, "for");
    }

    @Override
    public void check(Step step, Scope scope) {
        regexValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        Pattern p = Pattern.compile(run.substitute(step.valueText()));
        during(step, run, text -> p.matcher(text).find(), "serial line matching /" + p.pattern() + "/");
    }

    /** Waits the step's period and fails on the first line in it that matches. */
    static void during(Step step, StepContext run, Predicate<String> matching, String what) {
        Duration period = step.duration("for", DEFAULT_FOR);
        Optional<Line> seen = run.serial().none(step.describe(), l -> matching.test(l.text()), period);
        if (seen.isPresent()) {
            throw run.failure("expected no " + what + " for " + Durations.format(period) + ", but saw: " + seen.get().text());
        }
    }
}
