package io.esp32hil.secrets;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials of one run (the Wi-Fi password, the values of WS_HEADERS, the query string of
 * WS_URL, any setting named like a password or token), and the one way every log and report the
 * harness writes is cleaned of them. A URL's query string is redacted wherever it appears, the way
 * the firmware itself logs URLs ({@code ?<redacted>}), since it so often carries a token.
 */
public final class Secrets {
    public static final String MARK = "<redacted>";
    /** Settings whose values are credentials, whatever they hold. */
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY).*");
    // A URL (scheme://...) or a request target (/path) followed by a query string.
    private static final Pattern QUERY = Pattern.compile("((?:\\b[a-zA-Z][a-zA-Z0-9+.-]*://|(?<![\\w/])/)[^\\s?#\"'<>]*)\\?[^\\s#\"'<>]+");
    // Shorter values would redact ordinary words; such a credential is still hidden where its setting is written.
    private static final int MIN_LENGTH = 3;

    // Longest first, so a secret that contains another is replaced whole; rebuilt when one is learned,
    // since every log line reads it.
    private volatile List<String> values = List.of();

    /** A run's secrets, none known yet. */
    public Secrets() {}

    /** Learns the credentials among a config.py's settings. */
    public Secrets addSettings(Map<String, ?> settings) {
        settings.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (key.equals("WS_HEADERS") && value instanceof Map<?, ?> headers) {
                headers.values().forEach(v -> add(String.valueOf(v)));
            } else if (key.equals("WS_URL")) {
                String url = String.valueOf(value);
                int q = url.indexOf('?');
                if (q >= 0) {
                    add(url.substring(q + 1));
                    for (String param : url.substring(q + 1).split("&")) {
                        int eq = param.indexOf('=');
                        add(eq < 0 ? param : param.substring(eq + 1));
                    }
                }
            } else if (SECRET_KEY.matcher(key).matches()) {
                add(String.valueOf(value));
            }
        });
        return this;
    }

    /** Learns one credential (values too short to be told from ordinary text are kept out of free text). */
    public synchronized Secrets add(String value) {
        if (value != null && value.length() >= MIN_LENGTH && !values.contains(value)) {
            Set<String> sorted = new TreeSet<>((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
            sorted.addAll(values);
            sorted.add(value);
            values = List.copyOf(sorted);
        }
        return this;
    }

    /** The settings as they may be shown: credentials replaced by the mark, URLs without their query. */
    public Map<String, Object> redactSettings(Map<String, ?> settings) {
        Map<String, Object> shown = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (value == null) {
                shown.put(key, null);
            } else if (key.equals("WS_HEADERS") && value instanceof Map<?, ?> headers) {
                Map<String, Object> h = new LinkedHashMap<>();
                headers.keySet().forEach(k -> h.put(String.valueOf(k), MARK));
                shown.put(key, h);
            } else if (SECRET_KEY.matcher(key).matches()) {
                shown.put(key, MARK);
            } else if (value instanceof String s) {
                shown.put(key, redact(s));
            } else {
                shown.put(key, value);
            }
        });
        return shown;
    }

    /** The text with every known credential and every URL query string replaced by the mark. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MARK);
        }
        return redactQueries(out);
    }

    /** Bytes (a raw log, a file from the board's flash) with every known credential replaced, byte for byte as UTF-8. */
    public byte[] redact(byte[] data) {
        if (values.isEmpty()) {
            return data;
        }
        // ISO-8859-1 maps each byte to one char and back, so any byte sequence survives unchanged
        String s = new String(data, StandardCharsets.ISO_8859_1);
        String out = s;
        for (String v : values) {
            out = out.replace(new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), MARK);
        }
        return out == s ? data : out.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A URL or request target without its query string: {@code /ws?token=x} becomes {@code /ws?<redacted>}. */
    public static String redactQueries(String text) {
        if (text == null || text.indexOf('?') < 0) {
            return text;
        }
        Matcher m = QUERY.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "?" + MARK));
    }
}
