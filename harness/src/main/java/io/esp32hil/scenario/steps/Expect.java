package io.esp32hil.scenario.steps;

import io.esp32hil.observe.Line;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@code expect: EVENT}: waits for the firmware's next event, optionally with fields; {@code save:} keeps fields as metrics. */
final class Expect extends StepKind {
    Expect() {
        super("expect: EVENT", null, "within", "where", "mark", "save");
    }

    /** Checks that the step names one of the profile's events and only fields it has. */
    static void checkEvent(Step step, Scope scope) {
        FirmwareProfile profile = scope.profile();
        String v = step.value() == null ? null : step.valueText();
        if (v == null || !profile.events().containsKey(v)) {
            throw scope.error(step, "unknown firmware event '" + v + "' (the profile " + profile.name() + " has: "
                    + String.join(", ", new TreeSet<>(profile.events().keySet())) + ")");
        }
        Where.check(step, scope, "event '" + v + "'", profile.fields(v));
    }

    /** A matcher of the step's event and its {@code where:}. */
    static Predicate<String> event(Step step, StepContext run) {
        Pattern p = run.profile().events().get(step.valueText());
        Map<String, Object> where = step.map("where");
        return line -> p.matcher(line).find() && (where.isEmpty() || Where.holds(FirmwareProfile.fields(p, line), where, run::substitute));
    }

    @Override
    public void check(Step step, Scope scope) {
        checkEvent(step, scope);
        if (!step.args().containsKey("save")) {
            return;
        }
        if (!(step.args().get("save") instanceof Map<?, ?> save) || save.isEmpty()) {
            throw scope.error(step, "'save' maps metric names to event fields, like {first_delay: delay}");
        }
        List<String> fields = scope.profile().fields(step.valueText());
        for (Map.Entry<?, ?> e : save.entrySet()) {
            if (Values.name().problem(String.valueOf(e.getKey())) != null || !fields.contains(String.valueOf(e.getValue()))) {
                throw scope.error(step, "'save' maps a metric name to a field of event '" + step.valueText() + "' (" + Scope.fieldList(fields)
                        + "), not " + e.getKey() + ": " + e.getValue());
            }
        }
        scope.addMetrics(save.keySet().stream().map(String::valueOf).toList());
    }

    @Override
    public boolean marksWhenDone() {
        return false;
    }

    @Override
    public void run(Step step, StepContext run) {
        String event = step.valueText();
        Pattern p = run.profile().events().get(event);
        Duration within = step.duration("within", DEFAULT_WITHIN);
        Predicate<String> matching = event(step, run);
        Line hit = run.serial().await(step.describe(), l -> matching.test(l.text()), within).orElseThrow(() -> run.failure("no serial event '" + event + "'"
                + Where.text(step.map("where")) + " within " + Durations.format(within) + " (pattern " + p.pattern() + ")"));
        run.mark(step, hit.nanos());
        Map<String, String> fields = FirmwareProfile.fields(p, hit.text());
        step.map("save").forEach((metric, field) -> {
            String v = fields.get(String.valueOf(field));
            try {
                run.metrics().put(metric, Double.parseDouble(v));
            } catch (NumberFormatException | NullPointerException e) {
                throw new StepFailed("event '" + event + "' has no number in field '" + field + "' to save as " + metric + ": " + hit.text());
            }
        });
    }
}
