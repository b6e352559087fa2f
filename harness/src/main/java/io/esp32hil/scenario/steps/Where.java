package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import io.esp32hil.scenario.Values;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** A step's {@code where:}: the fields an event must have, each a value or a {@code ~regular expression}. */
final class Where {
    private Where() {}

    /** Checks that {@code where} names only fields the event has and that its regular expressions compile. */
    static void check(Step step, Scope scope, String what, List<String> fields) {
        Object where = step.args().get("where");
        if (where == null) {
            return;
        }
        if (!(where instanceof Map<?, ?> m) || Values.flatMapping("{code: 1001}").problem(where) != null) {
            throw scope.error(step, "'where' is a mapping of field names to values, like {code: 1001}");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!fields.contains(String.valueOf(e.getKey()))) {
                throw scope.error(step, "'where' names field '" + e.getKey() + "', which " + what + " does not have (" + Scope.fieldList(fields) + ")");
            }
            String want = String.valueOf(e.getValue());
            if (want.startsWith("~")) {
                scope.regex(step, want.substring(1));
            }
        }
    }

    /** True when the fields hold what {@code where} asks, its values substituted first. */
    static boolean holds(Map<String, String> fields, Map<String, Object> where, UnaryOperator<String> substitute) {
        for (Map.Entry<String, Object> w : where.entrySet()) {
            String want = substitute.apply(String.valueOf(w.getValue()));
            String have = fields.get(w.getKey());
            if (have == null || (want.startsWith("~") ? !Pattern.compile(want.substring(1)).matcher(have).find() : !want.equals(have))) {
                return false;
            }
        }
        return true;
    }

    /** How a failure names the condition: {@code " where {code=1001}"}. */
    static String text(Map<String, Object> where) {
        return where.isEmpty() ? "" : " where " + where;
    }
}
