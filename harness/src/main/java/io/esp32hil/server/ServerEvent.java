package io.esp32hil.server;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One thing the test server saw, on the run's monotonic clock ({@code nanos} from {@link System#nanoTime()}).
 * {@code connection} is 0 for server-wide events (listening, stopped, a fault switched on).
 */
public record ServerEvent(long nanos, int connection, Kind kind, Map<String, String> fields) implements io.esp32hil.observe.Timed {

    /** What happened; the lower-case name is what scenarios and logs use. */
    public enum Kind {
        LISTENING("url"), STOPPED("graceful"), FAULT("fault", "code", "reason", "on", "status", "ms", "detail"), ACCEPT("remote"),
        REFUSED("remote"), REJECTED("status", "request"),
        HANDSHAKE("path", "headers", "host", "origin", "user-agent", "sec-websocket-protocol", "sec-websocket-version"), OPEN("path", "protocol"),
        TEXT("size", "data"), BINARY("size"), PING("size", "answered"), PONG("size"), SENT("type", "size", "fragments"), CLOSE("code", "reason", "by"),
        LOST("detail"), ERROR("detail");

        private final java.util.List<String> fields;

        Kind(String... fields) {
            this.fields = java.util.List.of(fields);
        }

        /** The fields an event of this kind can have, which {@code where:} may compare. */
        public java.util.List<String> fields() {
            return fields;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public String field(String name) {
        return fields.getOrDefault(name, "");
    }

    /** The event as one log line without its time: {@code #2 close code=1001 reason="bye" by=server}. */
    public String describe() {
        String head = connection > 0 ? "#" + connection + " " + kind.id() : kind.id();
        if (fields.isEmpty()) {
            return head;
        }
        return head + " " + fields.entrySet().stream().map(e -> e.getKey() + "=" + quote(e.getValue())).collect(Collectors.joining(" "));
    }

    static String quote(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c == '\\' || c < 32)) {
            return v;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 32) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
