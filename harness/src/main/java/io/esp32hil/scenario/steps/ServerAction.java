package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import io.esp32hil.server.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code server: ACTION}: the server closes, drops, stops, refuses... (a container backend through its control port). */
final class ServerAction extends StepKind {
    static final List<String> ACTIONS = List.of("close", "drop", "stop", "restart", "refuse", "reject", "delay_handshake", "blackhole",
            "stop_reading", "ignore_pings", "ping", "periodic", "stop_periodic");
    private static final String PERIODIC_TEXT = "{\"type\": \"test\", \"seq\": %d}";

    ServerAction() {
        super("server: ACTION", null, "code", "reason", "graceful", "status", "delay", "on", "payload", "interval", "text", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        String v = step.value() == null ? null : step.valueText();
        if (!ACTIONS.contains(v)) {
            throw scope.error(step, "unknown server action '" + v + "' (valid: " + String.join(", ", ACTIONS) + ")");
        }
        if (v.equals("close") && !step.args().containsKey("code")) {
            throw scope.error(step, "'server: close' needs a 'code'");
        }
        if (v.equals("reject") && !step.args().containsKey("status")) {
            throw scope.error(step, "'server: reject' needs a 'status' (an HTTP status, or 0 to accept again)");
        }
        if (step.args().get("status") instanceof Long st && st != 0 && (st < 300 || st > 599)) {
            throw scope.error(step, "'status' is an HTTP status that refuses the upgrade (300-599), or 0 to accept again, not " + st);
        }
        if (v.equals("periodic") && step.args().containsKey("text")) {
            try {
                String.format(Locale.ROOT, step.text("text"), 1L);
            } catch (java.util.IllegalFormatException e) {
                throw scope.error(step, "'text' of 'server: periodic' is the message with %d for its number, like {\"seq\": %d}; "
                        + "this one is not a template (" + e.getMessage() + "; write %% for a percent sign)");
            }
        }
    }

    @Override
    public Set<String> serverFeatures(Step step) {
        return Set.of(step.valueText());
    }

    @Override
    public void run(Step step, StepContext run) {
        if (run.backend().testServer().isEmpty()) {
            run.note("backend command: " + run.backend().command(step.valueText(), step.args()));
            return;
        }
        TestServer server = run.backend().testServer().get();
        switch (step.valueText()) {
            case "close" -> server.closeAll(step.integer("code", 1000), step.text("reason") == null ? "" : step.text("reason"));
            case "drop" -> server.dropAll();
            case "stop" -> server.stop(step.flag("graceful", true));
            case "restart" -> server.restart();
            case "refuse" -> server.refuse(step.flag("on", true));
            case "reject" -> server.rejectHandshakes(step.integer("status", 0));
            case "delay_handshake" -> server.delayHandshakes(step.duration("delay", Duration.ZERO));
            case "blackhole" -> server.blackhole(step.flag("on", true));
            case "stop_reading" -> server.stopReading(step.flag("on", true));
            case "ignore_pings" -> server.ignorePings(step.flag("on", true));
            case "ping" -> server.ping(step.text("payload") == null ? "" : step.text("payload"));
            case "periodic" -> server.startPeriodic(step.duration("interval", Duration.ofSeconds(1)),
                    step.text("text") == null ? PERIODIC_TEXT : step.text("text"));
            case "stop_periodic" -> server.stopPeriodic();
            default -> throw new IllegalStateException(step.valueText());
        }
    }
}
