package io.esp32hil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.esp32hil.server.ServerEvent.Kind;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every behaviour and fault of the test server, seen from real clients (the JDK's WebSocket client and raw sockets). */
class TestServerTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String UPGRADE = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.builder().logDir(tmp).path("/ws").subprotocols(java.util.List.of("chat")).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ServerEvent expectEvent(Kind kind) {
        return server.log().await(e -> e.kind() == kind, kind.id(), T);
    }

    @Test
    void echoesAndLogsTheWholeConversationWithoutHeaderValues() throws Exception {
        Client c = Client.connect(server.url(), "chat");
        assertThat(expectEvent(Kind.ACCEPT).field("remote")).startsWith("127.0.0.1:");
        ServerEvent hs = expectEvent(Kind.HANDSHAKE);
        assertThat(hs.field("path")).isEqualTo("/ws");
        assertThat(hs.field("headers")).contains("x-device").contains("authorization");
        assertThat(expectEvent(Kind.OPEN).field("protocol")).isEqualTo("chat");
        c.ws.sendText("héllo", true);
        assertThat(c.next()).isEqualTo("text:héllo");
        assertThat(expectEvent(Kind.TEXT).fields()).containsEntry("size", "6").containsEntry("data", "héllo");
        c.ws.sendBinary(ByteBuffer.wrap(new byte[300]), true);
        assertThat(c.next()).isEqualTo("binary:300");
        c.ws.sendClose(1000, "done");
        assertThat(expectEvent(Kind.CLOSE).fields()).containsEntry("code", "1000").containsEntry("by", "client");
        assertThat(Files.readString(server.log().path())).contains("#1 open").doesNotContain("s3cr3t");
    }

    @Test
    void closeAllSendsTheCodeAndReason() throws Exception {
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        server.closeAll(1011, "server error");
        assertThat(c.next()).isEqualTo("close:1011:server error");
        assertThat(expectEvent(Kind.CLOSE).fields()).containsEntry("code", "1011").containsEntry("by", "server");
    }

    @Test
    void dropAllResetsTheConnectionWithoutACloseFrame() throws Exception {
        try (Socket s = handshake()) {
            server.dropAll();
            InputStream in = s.getInputStream();
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // reading until the reset arrives
                }
                throw new AssertionError("got a FIN, not a reset");
            }).isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
            expectEvent(Kind.LOST);
        }
    }

    @Test
    void aGracefulStopWaitsForTheBoardsCloseFrameBeforeItEndsTheConnection() throws Exception {
        try (Socket s = handshake()) {
            OutputStream out = s.getOutputStream();
            out.write(clientFrame(0x1, "a message the server has not read yet"));
            server.stop(true);
            InputStream in = s.getInputStream();
            byte[] close;
            int opcode;
            do { // the echo of the message may come first
                opcode = in.read();
                close = in.readNBytes(in.read());
            } while (opcode == 0x81);
            assertThat(opcode).as("FIN + close opcode").isEqualTo(0x88);
            assertThat(((close[0] & 0xff) << 8) | (close[1] & 0xff)).isEqualTo(1001);
            // The board has not answered yet: the server must still hold the connection open for it.
            s.setSoTimeout(300);
            assertThatThrownBy(in::read).as("the server waits for the close handshake").isInstanceOf(java.net.SocketTimeoutException.class);
            out.write(clientFrame(0x1, "sent before the board saw the close"));
            out.write(clientFrame(0x8, "\u0003\u00e9"));
            s.setSoTimeout((int) io.esp32hil.net.FaultProxy.LINGER.toMillis() + 2000);
            assertThat(in.read()).as("a clean end (FIN) once the board has answered, no reset").isEqualTo(-1);
        }
        expectEvent(Kind.STOPPED);
    }

    /** A client's frame: FIN set, masked with a zero key (so the payload is as written). */
    private static byte[] clientFrame(int opcode, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
        f.write(0x80 | opcode);
        f.write(0x80 | data.length);
        f.writeBytes(new byte[4]);
        f.writeBytes(data);
        return f.toByteArray();
    }

    @Test
    void stopRefusesUntilRestartOnTheSamePort() throws Exception {
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        int port = server.port();
        server.stop(true);
        assertThat(c.next()).isEqualTo("close:1001:server stopping");
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.restart();
        assertThat(server.port()).isEqualTo(port);
        Client again = Client.connect(server.url());
        again.ws.sendText("back", true);
        assertThat(again.next()).isEqualTo("text:back");
    }

    @Test
    void rejectedHandshakesGetTheHttpStatus() throws Exception {
        server.rejectHandshakes(403);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n");
        }
        assertThat(expectEvent(Kind.REJECTED).fields()).containsEntry("status", "403").containsEntry("request", "GET /ws HTTP/1.1");
        server.rejectHandshakes(0);
        Client.connect(server.url());
        expectEvent(Kind.OPEN);
    }

    @Test
    void delayedHandshakesTakeAtLeastTheDelay() throws Exception {
        server.delayHandshakes(Duration.ofMillis(600));
        long t0 = System.nanoTime();
        Client.connect(server.url());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aBlackholeAcceptsAndNeverAnswers() throws Exception {
        server.blackhole(true);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(500);
            s.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(server.log().events()).anyMatch(e -> e.kind() == Kind.FAULT && e.field("detail").contains("never answered"));
    }

    @Test
    void aBlackholedOpenConnectionGoesSilentBothWays() throws Exception {
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        server.blackhole(true);
        c.ws.sendText("anyone?", true);
        c.ws.sendPing(ByteBuffer.wrap("p".getBytes()));
        await().during(Duration.ofMillis(400)).atMost(T).until(() -> c.received.isEmpty());
        assertThat(server.log().pending(e -> e.kind() == Kind.TEXT)).isEmpty();
    }

    @Test
    void stopReadingHoldsMessagesUntilReadingAgain() throws Exception {
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        server.stopReading(true);
        c.ws.sendText("held", true);
        await().during(Duration.ofMillis(400)).atMost(T).until(() -> server.log().pending(e -> e.kind() == Kind.TEXT).isEmpty());
        server.stopReading(false);
        assertThat(expectEvent(Kind.TEXT).field("data")).isEqualTo("held");
        assertThat(c.next()).isEqualTo("text:held");
    }

    @Test
    void pingsAreAnsweredUnlessIgnored() throws Exception {
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        c.ws.sendPing(ByteBuffer.wrap("one".getBytes()));
        assertThat(c.next()).isEqualTo("pong:one");
        server.ignorePings(true);
        c.ws.sendPing(ByteBuffer.wrap("two".getBytes()));
        assertThat(server.log().await(e -> e.kind() == Kind.PING && e.field("answered").equals("false"), "unanswered ping", T)).isNotNull();
        await().during(Duration.ofMillis(400)).atMost(T).until(() -> c.received.isEmpty());
    }

    @Test
    void theServerSendsPingsFragmentsSizedAndRawMessages() throws Exception {
        try (Socket s = handshake()) {
            InputStream in = s.getInputStream();
            server.ping("hi");
            assertThat(in.readNBytes(4)).containsExactly(0x89, 2, 'h', 'i');
            server.sendFragmented("abcdef", 3);
            assertThat(in.readNBytes(12)).containsExactly(0x01, 2, 'a', 'b', 0x00, 2, 'c', 'd', 0x80, 2, 'e', 'f');
            server.sendOfSize(300);
            byte[] head = in.readNBytes(4);
            assertThat(head).containsExactly(0x81, 126, 1, 44);
            assertThat(in.readNBytes(300)).hasSize(300);
            server.sendRaw(new byte[] {(byte) 0x83, 1, 'x'});
            assertThat(in.readNBytes(3)).containsExactly(0x83, 1, 'x');
        }
    }

    @Test
    void periodicMessagesAndScriptedReplies() throws Exception {
        server.behaviour().reply(java.util.regex.Pattern.compile("^status\\?(\\w*)$"), "{\"status\":\"ok\",\"who\":\"$1\"}");
        Client c = Client.connect(server.url());
        expectEvent(Kind.OPEN);
        c.ws.sendText("status?board7", true);
        assertThat(c.next()).isEqualTo("text:{\"status\":\"ok\",\"who\":\"board7\"}");
        server.startPeriodic(Duration.ofMillis(100), "{\"seq\":%d}");
        assertThat(c.next()).isEqualTo("text:{\"seq\":1}");
        assertThat(c.next()).isEqualTo("text:{\"seq\":2}");
        server.stopPeriodic();
    }

    @Test
    void wssWithTheRunsOwnCertificate() throws Exception {
        try (TestServer tls = TestServer.builder().logDir(tmp.resolve("tls")).tls(true).start()) {
            assertThat(tls.url()).startsWith("wss://127.0.0.1:");
            assertThat(tls.certificate().sha256()).hasSize(64);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("run", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(tls.certificate().pem().getBytes())));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            Client c = Client.connectTls(tls.url(), ctx);
            c.ws.sendText("secure", true);
            assertThat(c.next()).isEqualTo("text:secure");
        }
    }

    /** A raw socket that completed the WebSocket handshake, for reading frames byte by byte. */
    private Socket handshake() throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head).startsWith("HTTP/1.1 101");
        expectEvent(Kind.OPEN);
        return s;
    }
}
