package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.regex.Pattern;

/** A step that waits for the next line of a stream that matches its regular expression, and marks when it came. */
abstract class LineExpectation extends StepKind {
    LineExpectation(String usage) {
        super(usage, null, "within", "mark");
    }

    /** The stream the step waits on, from where the last wait on it stopped. */
    abstract Cursor<Line> lines(StepContext run);

    /** What a line of that stream is called in a failure: "serial line". */
    abstract String noun(StepContext run);

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
        Line hit = lines(run).await(step.describe(), l -> p.matcher(l.text()).find(), within)
                .orElseThrow(() -> run.failure("no " + noun(run) + " matching /" + p.pattern() + "/ within " + Durations.format(within)));
        run.mark(step, hit.nanos());
    }
}
