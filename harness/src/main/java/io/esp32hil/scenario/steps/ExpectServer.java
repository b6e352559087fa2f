package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import io.esp32hil.server.ServerEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code expect_server: KIND}: waits for an event of the built-in test server. */
final class ExpectServer extends StepKind {
    ExpectServer() {
        super("expect_server: KIND", null, "within", "where", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        String v = step.valueText();
        ServerEvent.Kind kind;
        try {
            kind = ServerEvent.Kind.of(v);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw scope.error(step, "unknown server event '" + (step.value() == null ? null : v) + "' (valid: "
                    + Arrays.stream(ServerEvent.Kind.values()).map(ServerEvent.Kind::id).collect(Collectors.joining(", ")) + ")");
        }
        Where.check(step, scope, "server event '" + v + "'", kind.fields());
    }

    @Override
    public Set<String> serverFeatures(Step step) {
        return Set.of("expect_server");
    }

    @Override
    public boolean marksWhenDone() {
        return false;
    }

    @Override
    public void run(Step step, StepContext run) {
        ServerEvent.Kind kind = ServerEvent.Kind.of(step.valueText());
        Map<String, Object> where = step.map("where");
        Duration within = step.duration("within", DEFAULT_WITHIN);
        ServerEvent e = run.serverEvents().await(step.describe(), ev -> ev.kind() == kind && Where.holds(ev.fields(), where, run::substitute), within)
                .orElseThrow(() -> run.failure("no server event '" + kind.id() + "'" + Where.text(where) + " within " + Durations.format(within)));
        run.mark(step, e.nanos());
    }
}
