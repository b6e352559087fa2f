package io.esp32hil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private final Map<String, Object> settings = new LinkedHashMap<>();
    {
        settings.put("WIFI_SSID", "lab");
        settings.put("WIFI_PASSWORD", "pässwörd\"9");
        settings.put("WS_URL", "wss://gw.example:443/devices?id=7&token=tok-4411");
        settings.put("WS_HEADERS", Map.of("Authorization", "Bearer hdr-2231"));
        settings.put("MQTT_SECRET", "sec-8812");
        settings.put("PING_INTERVAL_MS", 2000L);
        settings.put("WS_SUBPROTOCOLS", List.of("chat"));
    }

    @Test
    void everyCredentialOfTheSettingsIsRedactedInText() {
        Secrets s = new Secrets().addSettings(settings);
        String text = "joined lab with pässwörd\"9; GET /devices?id=7&token=tok-4411 auth=Bearer hdr-2231 sec-8812";
        assertThat(s.redact(text)).isEqualTo("joined lab with <redacted>; GET /devices?<redacted> auth=<redacted> <redacted>");
    }

    @Test
    void bytesAreRedactedAsUtf8AndOtherBytesSurvive() {
        Secrets s = new Secrets().addSettings(settings);
        byte[] raw = "\u0001raw pässwörd\"9 \u00ff\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(s.redact(raw), StandardCharsets.UTF_8)).isEqualTo("\u0001raw <redacted> \u00ff\n");
    }

    @Test
    void theSettingsAsShownKeepTheirShapeWithoutTheCredentials() {
        Map<String, Object> shown = new Secrets().addSettings(settings).redactSettings(settings);
        assertThat(shown).containsEntry("WIFI_SSID", "lab").containsEntry("WIFI_PASSWORD", "<redacted>").containsEntry("MQTT_SECRET", "<redacted>")
                .containsEntry("WS_URL", "wss://gw.example:443/devices?<redacted>").containsEntry("WS_HEADERS", Map.of("Authorization", "<redacted>"))
                .containsEntry("PING_INTERVAL_MS", 2000L).containsEntry("WS_SUBPROTOCOLS", List.of("chat"));
    }

    @Test
    void queryStringsAreRedactedWhereverAUrlOrRequestTargetShowsOne() {
        assertThat(Secrets.redactQueries("url=ws://h:1/ws?t=1 path=/ws?k=v and \"wss://x/y?z\"")).isEqualTo(
                "url=ws://h:1/ws?<redacted> path=/ws?<redacted> and \"wss://x/y?<redacted>\"");
        assertThat(Secrets.redactQueries("is it? yes. ws://h/ws?<redacted>")).isEqualTo("is it? yes. ws://h/ws?<redacted>");
    }
}
