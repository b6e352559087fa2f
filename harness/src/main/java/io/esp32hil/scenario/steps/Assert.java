package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import java.util.Locale;

/** {@code assert: METRIC}: fails when a metric made earlier is outside its bounds. */
final class Assert extends StepKind {
    Assert() {
        super("assert: METRIC", null, "min", "max");
    }

    @Override
    public void check(Step step, Scope scope) {
        String name = someValue(step, scope);
        if (!scope.hasMetric(name)) {
            throw scope.error(step, "'assert' names metric '" + name + "', which no earlier 'measure' makes");
        }
        Object min = step.args().get("min");
        Object max = step.args().get("max");
        if (min == null && max == null) {
            throw scope.error(step, "'assert' needs min, max or both");
        }
        if (min instanceof Number lo && max instanceof Number hi && lo.doubleValue() > hi.doubleValue()) {
            throw scope.error(step, "'assert' has min " + lo + " above max " + hi);
        }
    }

    @Override
    public void run(Step step, StepContext run) {
        String name = step.valueText();
        double v = run.metrics().get(name);
        Object min = step.args().get("min");
        Object max = step.args().get("max");
        if (min != null && v < ((Number) min).doubleValue() || max != null && v > ((Number) max).doubleValue()) {
            throw run.failure(String.format(Locale.ROOT, "metric %s = %.0f is outside [%s, %s]", name, v, min == null ? "-" : min, max == null ? "-" : max));
        }
    }
}
