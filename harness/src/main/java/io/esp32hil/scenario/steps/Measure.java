package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import java.util.List;
import java.util.Locale;

/** {@code measure: NAME}: the time between two marks, in milliseconds, as a metric. */
final class Measure extends StepKind {
    Measure() {
        super("measure: NAME", null, "from", "to");
    }

    @Override
    public void check(Step step, Scope scope) {
        String name = someValue(step, scope);
        for (String k : List.of("from", "to")) {
            String mark = step.text(k);
            if (mark == null || !scope.hasMark(mark)) {
                throw scope.error(step, "'measure' needs '" + k + "' naming a mark set earlier with mark: (known: " + scope.knownMarks() + ")");
            }
        }
        scope.addMetrics(List.of(name));
    }

    @Override
    public void run(Step step, StepContext run) {
        double ms = (run.marks().get(step.text("to")) - run.marks().get(step.text("from"))) / 1e6;
        run.metrics().put(step.valueText(), ms);
        run.note(String.format(Locale.ROOT, "measured %s = %.0f ms", step.valueText(), ms));
    }
}
