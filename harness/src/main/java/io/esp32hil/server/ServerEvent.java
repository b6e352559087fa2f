package io.esp32hil.server;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One thing the test server saw, on the run's monotonic clock ({@code nanos} from {@link System#nanoTime()}).
 * {@code connection} is 0 for server-wide events (listening, stopped, a fault switched on).
 */
public record ServerEvent(long nanos, int connection, Kind kind, Map<String, String> fields) {

    /** What happened; the lower-case name is what scenarios and logs use. */
    public enum Kind {
        LISTENING, STOPPED, FAULT, ACCEPT, REFUSED, REJECTED, HANDSHAKE, OPEN, TEXT, BINARY, PING, PONG, SENT, CLOSE, LOST, ERROR;

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
