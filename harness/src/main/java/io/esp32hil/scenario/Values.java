package io.esp32hil.scenario;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a value in a scenario or backend file may be, as checks that say in words what is wrong: each
 * returns null for a good value, else the sentence that follows the key's name in the error.
 */
public final class Values {
    /** No wait or limit in a file is longer than this; longer ones are typing mistakes (and overflow the clock). */
    public static final Duration LONGEST = Duration.ofHours(24);

    private Values() {}

    @FunctionalInterface
    public interface Check {
        String problem(Object value);
    }

    public static Check whole(long min, long max) {
        return v -> v instanceof Long n && n >= min && n <= max ? null : "is a whole number from " + min + " to " + max + ", not " + shown(v);
    }

    public static Check number() {
        return v -> v instanceof Long || v instanceof Double ? null : "is a number, not " + shown(v);
    }

    public static Check bool() {
        return v -> v instanceof Boolean ? null : "is true or false, not " + shown(v);
    }

    /** Text of at most maxBytes bytes as UTF-8 (a close reason or ping payload has a limit on the wire). */
    public static Check text(int maxBytes) {
        return v -> !(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) ? "is text, not " + shown(v)
                : String.valueOf(v).getBytes(StandardCharsets.UTF_8).length > maxBytes ? "is at most " + maxBytes + " bytes long" : null;
    }

    public static Check name() {
        return v -> v instanceof String s && s.matches("[A-Za-z_][A-Za-z0-9_.-]*") ? null
                : "is a name (letters, digits, '_', '.', '-'), not " + shown(v);
    }

    /** A duration like 500ms, 10s or 2m, at most {@link #LONGEST}; zero only where allowed. */
    public static Check duration(boolean zeroAllowed) {
        return v -> {
            Duration d = v instanceof String s ? Durations.parse(s) : null;
            if (d == null) {
                return "must be a duration like 500ms, 10s or 2m, not " + shown(v);
            }
            if (d.compareTo(LONGEST) > 0) {
                return "is at most a day (1440m), not " + v;
            }
            return d.isZero() && !zeroAllowed ? "must be longer than 0, not " + v : null;
        };
    }

    /** Close codes a server may send in a close frame (RFC 6455 7.4: 1004-1006 and 1015 are never sent). */
    public static Check closeCode() {
        return v -> v instanceof Long c && (c >= 1000 && c <= 1003 || c >= 1007 && c <= 1014 || c >= 3000 && c <= 4999) ? null
                : "is a close code a server may send (1000-1003, 1007-1014 or 3000-4999), not " + shown(v);
    }

    /** A mapping whose values are single values (text, numbers, true/false). */
    public static Check flatMapping(String example) {
        return v -> {
            if (!(v instanceof Map<?, ?> m)) {
                return "is a mapping like " + example + ", not " + shown(v);
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() == null || e.getValue() instanceof Map || e.getValue() instanceof List) {
                    return "holds single values, like " + example + ", but '" + e.getKey() + "' is " + shown(e.getValue());
                }
            }
            return null;
        };
    }

    public static String shown(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        return "'" + v + "'";
    }
}
