package io.esp32hil.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.console.SerialConsole;
import io.esp32hil.device.Device;
import io.esp32hil.server.ServerEvent;
import io.esp32hil.server.TestServer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A hand-written test with a board and a server handed in by {@link HilExtension}: the README's example. */
@ExtendWith(HilExtension.class)
class ExampleBoardTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    @FirmwareConfig({"STATUS_INTERVAL_MS=1000", "PING_INTERVAL_MS=0"})
    void theBoardReceivesOurMessageAndItsStatusReportsReachTheServer(Device board, TestServer server) {
        SerialConsole console = board.console();
        console.expect("[ws] connected url=" + server.url(), T);

        server.sendText("hello board");
        console.expect("[ws] rx type=text size=11 data=\"hello board\"", T);

        ServerEvent status = server.log().await(e -> e.kind() == ServerEvent.Kind.TEXT && e.field("data").contains("\"type\": \"status\""),
                "a status message", T);
        assertThat(status.field("data")).containsPattern(Pattern.compile("\"uptime_s\": \\d+"));
    }
}
