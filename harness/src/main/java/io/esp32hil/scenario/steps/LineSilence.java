package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A step that fails if a line of a stream matches its regular expression during the period ({@code for}). */
abstract class LineSilence extends StepKind {
    private static final Duration DEFAULT_FOR = Duration.ofSeconds(3);

    LineSilence(String usage, String... modifiers) {
        super(usage, null, modifiers);
    }

    /** The stream that must stay quiet. */
    abstract Cursor<Line> lines(StepContext run);

    /** What a line of that stream is called in a failure: "serial line". */
    abstract String noun();

    @Override
    public void check(Step step, Scope scope) {
        regexValue(step, scope);
    }

    @Override
    public void run(Step step, StepContext run) {
        Pattern p = Pattern.compile(run.substitute(step.valueText()));
        during(step, run, lines(run), text -> p.matcher(text).find(), noun() + " matching /" + p.pattern() + "/");
    }

    /** Waits the step's period on the stream and fails on the first line in it that matches. */
    static void during(Step step, StepContext run, Cursor<Line> lines, Predicate<String> matching, String what) {
        Duration period = step.duration("for", DEFAULT_FOR);
        Optional<Line> seen = lines.none(step.describe(), l -> matching.test(l.text()), period);
        if (seen.isPresent()) {
            throw run.failure("expected no " + what + " for " + Durations.format(period) + ", but saw: " + seen.get().text());
        }
    }
}
