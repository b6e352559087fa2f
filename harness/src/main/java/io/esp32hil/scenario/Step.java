package io.esp32hil.scenario;

import io.esp32hil.scenario.steps.StepKind;
import io.esp32hil.scenario.steps.Steps;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a scenario: its action (the step's key, e.g. {@code expect}), the action's value,
 * the modifiers next to it, the line it is on, and nested steps for {@code repeat}.
 */
public record Step(String action, Object value, Map<String, Object> args, int line, List<Step> steps) {

    /** What the step is and does; a loaded step's action always names one. */
    public StepKind kind() {
        return Steps.named(action).orElseThrow(() -> new IllegalStateException("no step kind '" + action + "'"));
    }

    public String text(String key) {
        Object v = args.get(key);
        return v == null ? null : String.valueOf(v);
    }

    public String valueText() {
        return value == null ? "" : String.valueOf(value);
    }

    public Duration duration(String key, Duration fallback) {
        Object v = args.get(key);
        return v == null ? fallback : Durations.parse(String.valueOf(v));
    }

    public int integer(String key, int fallback) {
        Object v = args.get(key);
        return v == null ? fallback : ((Number) v).intValue();
    }

    public boolean flag(String key, boolean fallback) {
        Object v = args.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object v = args.get(key);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    /** How the step reads in a report: {@code expect closed where {code=1001}}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(action);
        if (value != null && !(value instanceof Map)) {
            sb.append(' ').append(value);
        }
        args.forEach((k, v) -> {
            if (!k.equals("steps")) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }
}
