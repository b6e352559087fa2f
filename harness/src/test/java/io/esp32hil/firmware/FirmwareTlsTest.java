package io.esp32hil.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.console.SerialConsole;
import io.esp32hil.server.SntpServer;
import io.esp32hil.sim.SimulatedBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss:// from the firmware on the simulated board to test_server.py serving TLS with a fresh certificate. */
class FirmwareTlsTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    static Path certs;

    @TempDir
    Path tmp;

    private static String fingerprint;
    private PythonTestServer server;
    private SimulatedBoard board;
    private SntpServer sntp;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", certs.resolve("key.pem").toString(), "-out", certs.resolve("cert.pem").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl: " + out).isTrue();
        String pem = Files.readString(certs.resolve("cert.pem"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        fingerprint = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.close(board, sntp, server);
    }

    private SerialConsole boot(Map<String, Object> tls) throws IOException {
        server = PythonTestServer.startTls(certs.resolve("cert.pem"), certs.resolve("key.pem"), tmp.resolve("server.log"));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("WIFI_SSID", "lab");
        c.put("WIFI_PASSWORD", "pw");
        c.put("WS_URL", "wss://127.0.0.1:" + server.port() + "/secure");
        c.put("RECONNECT_DELAY_MS", 300);
        c.putAll(tls);
        Firmware.deploy(tmp.resolve("flash"), c);
        Files.copy(certs.resolve("cert.pem"), tmp.resolve("flash/ca.pem"));
        board = SimulatedBoard.builder().flashDir(tmp.resolve("flash")).logDir(tmp.resolve("logs")).name("board")
                .accessPoint("lab", "pw").joinTime(Duration.ofMillis(50)).start();
        return board.console();
    }

    @Test
    void aPinnedFingerprintIsChecked() throws IOException {
        SerialConsole console = boot(Map.of("TLS_FINGERPRINT", fingerprint));
        console.expect("[ws] tls verify=fingerprint", T);
        console.expect("[ws] connected url=wss://127.0.0.1:", T);
        server.awaitLine("#1 open .* path=/secure", T);
        server.command("over TLS");
        console.expect("[ws] rx type=text size=8 data=\"over TLS\"", T);
    }

    @Test
    void aWrongFingerprintRefusesTheServer() throws IOException {
        SerialConsole console = boot(Map.of("TLS_FINGERPRINT", "00".repeat(32)));
        console.expect("[ws] connect failed stage=tls detail=\"certificate fingerprint mismatch: server has sha256 "
                + fingerprint.replace(":", ""), T);
        console.expect("[ws] reconnect in_ms=", T);
    }

    @Test
    void aCaFileVerifiesTheChainOnceSntpHasSetTheClock() throws IOException {
        sntp = new SntpServer();
        SerialConsole console = boot(Map.of("TLS_CA_FILE", "ca.pem", "NTP_HOST", sntp.hostPort()));
        console.expect(java.util.regex.Pattern.compile("\\[ws\\] time set ntp=127\\.0\\.0\\.1:\\d+ utc=20\\d\\d-"), T);
        console.expect("[ws] tls verify=ca file=ca.pem", T);
        console.expect("[ws] connected url=wss://", T);
    }

    @Test
    void withoutTheTimeACaFileCheckFailsAsOnAFreshBoardAndTheLogSaysWhy() throws IOException {
        sntp = new SntpServer();
        String nobody = sntp.hostPort();
        sntp.close(); // nothing answers there any more
        SerialConsole console = boot(Map.of("TLS_CA_FILE", "ca.pem", "NTP_HOST", nobody, "NTP_TIMEOUT_MS", 300));
        console.expect("[ws] time not set ntp=" + nobody + " detail=\"OSError [Errno 116] ETIMEDOUT\"", T);
        console.expect("[ws] connect failed stage=tls detail=\"ValueError The certificate validity starts in the future\"", T);
        console.expect("[ws] reconnect in_ms=", T);
    }

    @Test
    void withoutVerificationItWarns() throws IOException {
        SerialConsole console = boot(Map.of());
        console.expect("[ws] warning tls=\"certificate not verified\" fix=\"set TLS_CA_FILE or TLS_FINGERPRINT\"", T);
        console.expect("[ws] connected url=wss://", T);
    }
}
