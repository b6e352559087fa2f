package io.esp32hil.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;

/** What the test server does with messages: echo them (the default), and answer scripted ones. */
public final class Behaviour {
    private volatile boolean echo = true;
    private final List<Map.Entry<Pattern, String>> replies = new CopyOnWriteArrayList<>();

    public Behaviour echo(boolean on) {
        this.echo = on;
        return this;
    }

    /** A text message matching the pattern gets this reply ($1... name its groups) instead of the echo. */
    public Behaviour reply(Pattern when, String answer) {
        replies.add(Map.entry(when, answer));
        return this;
    }

    public void clearReplies() {
        replies.clear();
    }

    void onText(WebSocket conn, String text) {
        for (Map.Entry<Pattern, String> r : replies) {
            Matcher m = r.getKey().matcher(text);
            if (m.find()) {
                String answer = expand(m, r.getValue());
                WsEndpoint.sendWhileOpen(conn, () -> conn.send(answer));
                return;
            }
        }
        if (echo) {
            WsEndpoint.sendWhileOpen(conn, () -> conn.send(text));
        }
    }

    void onBinary(WebSocket conn, ByteBuffer data) {
        if (echo) {
            WsEndpoint.sendWhileOpen(conn, () -> conn.send(data));
        }
    }

    private static String expand(Matcher m, String template) {
        String out = template;
        for (int g = m.groupCount(); g >= 0; g--) {
            out = out.replace("$" + g, m.group(g) == null ? "" : m.group(g));
        }
        return out;
    }
}
