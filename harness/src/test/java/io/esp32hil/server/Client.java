package io.esp32hil.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** A real WebSocket client (the JDK's) that records what it receives, for testing the test server. */
final class Client implements WebSocket.Listener {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final WebSocket ws;
    private final StringBuilder text = new StringBuilder();

    private Client(String url, SSLContext tls, String... subprotocols) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            http.sslContext(tls);
        }
        WebSocket.Builder b = http.build().newWebSocketBuilder().header("X-Device", "test-01").header("Authorization", "Bearer s3cr3t");
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        ws = b.buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
    }

    static Client connect(String url, String... subprotocols) throws Exception {
        return new Client(url, null, subprotocols);
    }

    static Client connectTls(String url, SSLContext tls) throws Exception {
        return new Client(url, tls);
    }

    String next() throws InterruptedException {
        String s = received.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the client received nothing within 10 s");
        }
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add("text:" + text);
            text.setLength(0);
        } else {
            received.add("fragment:" + data);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        received.add("binary:" + data.remaining());
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        received.add("ping:" + StandardCharsets.UTF_8.decode(message));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        received.add("pong:" + StandardCharsets.UTF_8.decode(message));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        received.add("close:" + statusCode + ":" + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        received.add("error:" + error.getClass().getSimpleName());
    }
}
