package io.esp32hil.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.console.SerialConsole;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.sim.ControlClient;
import io.esp32hil.sim.SimulatedBoard;
import io.esp32hil.sim.SimulatedBoardBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unchanged firmware (boot.py, main.py, websocket_client.py, or the advanced example) on a
 * simulated board, against firmware/tools/test_server.py on a real socket: what the board prints and
 * what the server logs must both show each behaviour.
 */
class FirmwareIntegrationTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private PythonTestServer server;
    private SimulatedBoard board;

    @AfterEach
    void stop() throws Exception {
        Teardown.close(board, server);
    }

    private Map<String, Object> config(int port) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("WIFI_SSID", "lab");
        c.put("WIFI_PASSWORD", "s3cret-pw");
        c.put("WS_URL", "ws://127.0.0.1:" + port + "/ws?token=t0ken");
        c.put("WIFI_TIMEOUT_MS", 1500);
        c.put("PING_INTERVAL_MS", 1000);
        c.put("PING_TIMEOUT_MS", 1500);
        c.put("RECONNECT_DELAY_MS", 300);
        c.put("RECONNECT_MAX_DELAY_MS", 2000);
        c.put("WIFI_CHECK_MS", 300);
        c.put("STATUS_INTERVAL_MS", 0);
        return c;
    }

    private SerialConsole bootWithMessageLimit(int bytes) {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("MAX_MESSAGE_SIZE", bytes);
        return boot(config);
    }

    private SerialConsole boot(Map<String, Object> config) {
        Firmware.deploy(tmp.resolve("flash"), config);
        return start();
    }

    private SerialConsole start() {
        return start(true);
    }

    private SimulatedBoardBuilder boardBuilder() {
        return SimulatedBoard.builder()
                .flashDir(tmp.resolve("flash"))
                .logDir(tmp.resolve("logs"))
                .name("board")
                .accessPoint("lab", "s3cret-pw")
                .joinTime(Duration.ofMillis(100))
                .withControl();
    }

    private SerialConsole start(boolean expectConnected) {
        board = boardBuilder().start();
        SerialConsole console = board.console();
        if (!expectConnected) {
            return console;
        }
        console.expect("[ws] wifi connected ip=", T);
        console.expect(Pattern.compile("\\[ws\\] connected url=ws://127\\.0\\.0\\.1:\\d+/ws\\?<redacted> ms=\\d+"), T);
        server.awaitLine("#\\d+ open .* path=/ws\\?<redacted>", T);
        return console;
    }

    private PythonTestServer startServer(int port) {
        server = PythonTestServer.start(port, tmp.resolve("server.log"));
        return server;
    }

    @Test
    void connectsReceivesAndItsMessagesAreEchoed() throws Exception {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("STATUS_INTERVAL_MS", 700);
        SerialConsole console = boot(config);
        server.command("hello board ✓");
        console.expect("[ws] rx type=text size=15 data=\"hello board ✓\"", T);
        String size = console.expect(Pattern.compile("\\[ws\\] tx type=text size=(\\d+)"), T).group(1);
        server.awaitLine("#\\d+ text size=" + size + " .*\\\\\"type\\\\\": \\\\\"status\\\\\"", T);
        console.expect("[ws] rx type=text size=" + size + " data=\"{", T);
        console.expect("[ws] pong rx ms=", T);
        assertThat(Files.readString(tmp.resolve("logs/board.log")) + String.join("\n", server.lines()))
                .as("no secret in any log")
                .doesNotContain("s3cret-pw")
                .doesNotContain("t0ken");
    }

    @Test
    void serverCloseIsLoggedWithCodeAndReasonThenTheBoardReconnects() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        server.command("/close 1001 maintenance window");
        console.expect("[ws] closed code=1001 reason=\"maintenance window\" by=server", T);
        server.awaitLine("#1 close code=1001", T);
        String reconnect = console.expect(Pattern.compile("\\[ws\\] reconnect in_ms=(\\d+) attempt=1"), T).group(1);
        assertThat(Integer.parseInt(reconnect)).isBetween(300, 360);
        console.expect("[ws] connected url=", T);
        server.awaitLine("#2 open", T);
    }

    @Test
    void serverGoneAndBackOnTheSamePortWithGrowingDelays() {
        startServer(0);
        int port = server.port();
        SerialConsole console = boot(config(port));
        server.close();
        console.expect("[ws] closed code=1001 reason=\"server shutting down\" by=server", T);
        int previous = 0;
        for (int attempt = 2; attempt <= 4; attempt++) {
            console.expect("[ws] connect failed stage=tcp detail=\"OSError [Errno 104] ECONNRESET\"", T); // how lwIP reports a refused connection
            Matcher m = Pattern.compile("in_ms=(\\d+) attempt=(\\d+)").matcher(console.expect("[ws] reconnect in_ms=", T).text()
                    + console.expect(Pattern.compile("\\d+ attempt=\\d+"), T).text());
            assertThat(m.find()).isTrue();
            int delay = Integer.parseInt(m.group(1));
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(attempt + 0);
            assertThat(delay).isGreaterThan(previous).isBetween(300, 2000);
            previous = delay;
        }
        startServer(port);
        console.expect("[ws] connected url=", T);
        server.awaitLine("#1 open", T);
    }

    @Test
    void aDeauthenticatingAccessPointIsNoticedAtOnceAndTheDriverRejoinsByItself() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        board.control().wifiDown("deauth");
        console.expect("[ws] wifi lost", T);
        console.expect("[ws] closed code=1006 reason=\"wifi lost\" by=network", T);
        rejoinsByItselfOnceTheAccessPointIsBack(console);
    }

    @Test
    void aSilentAccessPointIsNoticedByThePingTimeoutBeforeTheStationDropsIt() {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("CONNECT_TIMEOUT_MS", 2000);
        Firmware.deploy(tmp.resolve("flash"), config);
        board = boardBuilder().wifiInactiveTime(Duration.ofSeconds(3)).start();
        SerialConsole console = board.console();
        console.expect("[ws] connected url=", T);
        board.control().wifiDown("silent");
        String before = console.expect("[ws] closed code=1006 reason=\"ping timeout\" by=network", T).before();
        assertThat(before).doesNotContain("wifi lost");
        rejoinsByItselfOnceTheAccessPointIsBack(console);
    }

    /** While the access point is away the driver retries by itself (NO_AP_FOUND); the firmware never calls connect() again. */
    private void rejoinsByItselfOnceTheAccessPointIsBack(SerialConsole console) {
        console.expect("[ws] wifi failed status=201 reason=NO_AP_FOUND", T);
        board.control().wifiUp();
        console.expect("[ws] wifi connected", T);
        console.expect("[ws] connected url=", T);
        server.awaitLine("#2 open", T);
        assertThat(console.text()).doesNotContain("Wifi Internal Error").containsOnlyOnce("[ws] wifi connecting");
    }

    @Test
    void aHalfOpenLinkIsNoticedByThePingTimeout() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        server.command("/mute");
        server.awaitLine("muted", T);
        String waited = console.expect(Pattern.compile("\\[ws\\] ping timeout ms=(\\d+)"), T).group(1);
        assertThat(Integer.parseInt(waited)).isBetween(1500, 2500);
        console.expect("[ws] closed code=1006 reason=\"ping timeout\" by=network", T);
        server.command("/unmute");
        console.expect("[ws] connected url=", T);
        console.expect("[ws] pong rx", T);
    }

    @Test
    void reportsMadeWhileOfflineArriveInOrderAfterReconnecting() throws Exception {
        startServer(0);
        int port = server.port();
        Map<String, Object> config = config(port);
        config.put("REPORT_INTERVAL_MS", 150);
        config.put("OUTBOX_SIZE", 64);
        Firmware.deploy(tmp.resolve("flash"), config);
        Files.copy(Firmware.DIR.resolve("examples/advanced_example.py"), tmp.resolve("flash/main.py"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SerialConsole console = start();
        server.awaitLine("\"seq\\\\\": 2[,}]", T);
        server.close();
        console.expect("[ws] closed code=1001", T);
        console.expect("[ws] outbox queued size=3", T);
        startServer(port);
        String flushed = console.expect(Pattern.compile("\\[ws\\] outbox flushed count=(\\d+)"), T).group(1);
        assertThat(Integer.parseInt(flushed)).isGreaterThanOrEqualTo(3);
        server.awaitLine("\"seq\\\\\": " + (Integer.parseInt(flushed) + 3) + "[,}]", T);
        List<Integer> seqs = server.lines().stream()
                .map(Pattern.compile("\\\\\"seq\\\\\": (\\d+)")::matcher)
                .filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .toList();
        int first = seqs.get(0);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("report %d of %s (none lost, none reordered)", i, seqs).isEqualTo(first + i);
        }
    }

    @Test
    void aFragmentedMessageFromTheServerIsReassembled() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        server.command("/frag one two three, fragmented");
        console.expect("[ws] rx type=text size=25 data=\"one two three, fragmented\"", T);
    }

    @Test
    void aBadServerGetsTheRightCloseCodeAndTheBoardCarriesOn() {
        SerialConsole console = bootWithMessageLimit(1000);
        String[][] cases = {
            {"/raw 830141", "1002", "unknown opcode 3"},
            {"/raw c10141", "1002", "reserved bits set"},
            {"/raw 8102c328", "1007", "invalid UTF-8 in a text message"},
            {"/big 1001", "1009", "message of 1001 bytes over the limit of 1000"},
            {"/raw 897e0080", "1002", "control frame of 128 bytes"},
        };
        int connection = 1;
        for (String[] c : cases) {
            server.command(c[0]);
            console.expect("[ws] protocol error code=" + c[1] + " detail=\"" + c[2] + "\"", T);
            console.expect("[ws] closed code=" + c[1] + " reason=\"" + c[2] + "\" by=client", T);
            server.awaitLine("#" + connection + " close code=" + c[1], T);
            console.expect("[ws] connected url=", T);
            server.awaitLine("#" + ++connection + " open", T);
        }
        server.command("still talking?");
        console.expect("[ws] rx type=text size=14 data=\"still talking?\"", T);
    }

    @Test
    void aServerThatStopsReadingIsNoticedThroughTheSendBuffer() {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("SEND_TIMEOUT_MS", 500);
        Firmware.deployLibrary(tmp.resolve("flash"), config);
        SerialConsole console = start(false);
        console.expect(">>> ", T);
        RawRepl repl = new RawRepl(console, T);
        repl.enter();
        repl.execOrThrow("import websocket_client as wc, network, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\n"
                + "w.connect('lab', 's3cret-pw')\nwhile not w.isconnected(): time.sleep_ms(20)\n"
                + "c = wc.Connection(wc.load_config())\nc.open()");
        server.awaitLine("#1 open", T);
        server.command("/mute");
        server.awaitLine("muted", T);
        // the server's receive window and the board's 5,760-byte send buffer fill; then no write is taken
        String out = repl.execOrThrow("sent = 0\ntry:\n    while sent < 64 << 20:\n        c.send(wc.OP_BINARY, bytes(4096))\n"
                + "        sent += 4096\nexcept wc.ConnectionLost as e:\n    print('lost', e, sent < 16 << 20)");
        assertThat(out).isEqualTo("lost send timed out True\r\n");
        repl.exit();
    }

    @Test
    void aServerStillSendingWhenTheBoardClosesGetsTheCloseHandshakeNotATcpReset() {
        SerialConsole console = bootWithMessageLimit(1000);
        ControlClient control = board.control(); // events are recorded from here on
        server.command("/big 300000");
        console.expect("[ws] closed code=1009 reason=\"message of 300000 bytes over the limit of 1000\" by=client", T);
        console.expect("[ws] connected url=", T);
        server.awaitLine("#2 open", T);
        // lwIP resets a connection closed with data unread; the board read on until the server's close
        assertThat(control.events()).as("socket events").anyMatch(e -> "close".equals(e.path("action").asText()))
                .noneMatch(e -> "reset".equals(e.path("action").asText()));
    }

    @Test
    void ctrlCStopsTheClientWithAGoingAwayCloseAndReachesTheRepl() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        console.write(new byte[] {3});
        console.expect("[ws] closed code=1001 reason=\"going away\" by=client", T);
        console.expect("[ws] stopped reason=interrupted", T);
        console.expect(">>> ", T);
        server.awaitLine("#1 close code=1001 .* by=client", T);
    }

    @Test
    void safeModeFileKeepsTheClientFromStarting() throws Exception {
        startServer(0);
        Firmware.deploy(tmp.resolve("flash"), config(server.port()));
        Files.writeString(tmp.resolve("flash/safemode"), "");
        SerialConsole console = start(false);
        console.expect("[ws] safe mode reason=file", T);
        console.expect(">>> ", T);
        assertThat(console.text()).doesNotContain("[ws] start");
    }

    @Test
    void safeModeButtonHeldAtResetKeepsTheClientFromStarting() {
        startServer(0);
        SerialConsole console = boot(config(server.port()));
        board.control().setPin(0, 0);
        board.control().pressReset();
        console.expect("[ws] safe mode reason=button", T);
        console.expect(">>> ", T);
    }

    @Test
    void aWrongPasswordIsReportedAndRetriedThenTheConfiguredGiveUpStops() {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("WIFI_PASSWORD", "not-the-password");
        config.put("MAX_RECONNECT_ATTEMPTS", 3);
        config.put("GIVE_UP_ACTION", "stop");
        Firmware.deploy(tmp.resolve("flash"), config);
        SerialConsole console = start(false);
        // most access points answer a wrong key with a handshake timeout, so the driver shows CONNECTING
        for (int attempt = 1; attempt <= 2; attempt++) {
            console.expect("[ws] wifi failed status=1001 reason=CONNECTING", T);
            console.expect("[ws] reconnect in_ms=", T);
        }
        console.expect("[ws] wifi failed status=1001 reason=CONNECTING", T);
        console.expect("[ws] give up attempts=3 action=stop", T);
        console.expect(">>> ", T);
        assertThat(console.text()).doesNotContain("not-the-password").doesNotContain("s3cret-pw");
    }

    @Test
    void subprotocolAndExtraHeadersReachTheServerAndNoTokenIsLogged() throws Exception {
        startServer(0);
        Map<String, Object> config = config(server.port());
        config.put("WS_SUBPROTOCOLS", new Firmware.PythonLiteral("(\"chat\", \"v2\")"));
        config.put("WS_HEADERS", new Firmware.PythonLiteral("{\"X-Device\": \"esp32-01\", \"Authorization\": \"Bearer tok-123\"}"));
        Firmware.deploy(tmp.resolve("flash"), config);
        SerialConsole console = start(false);
        console.expect(Pattern.compile("\\[ws\\] connected url=\\S+ ms=\\d+ protocol=chat"), T);
        server.awaitLine("#1 open .* protocol=chat headers=.*x-device", T);
        assertThat(Files.readString(tmp.resolve("logs/board.log")) + String.join("\n", server.lines())).doesNotContain("tok-123");
    }
}
