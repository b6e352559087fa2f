package io.esp32hil.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real containers of the project's images (skipped, with the reason, where Docker or the images are missing). */
class ContainerBackendTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void docker() {
        Docker.assumeImages();
    }

    private static BackendSpec spec(String image, int port, List<String> command, Duration startup) {
        return new BackendSpec("t", "", null, image, port, "/ws", Map.of(), command, startup, 9000, Map.of("close", "/close {code} {reason}"));
    }

    @Test
    void startsRecordsItsLogOnTheRunClockAndTakesCommands() throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (ContainerBackend b = ContainerBackend.start(spec(Docker.PYTHON_IMAGE, 8080, List.of(), Duration.ofSeconds(30)), tmp, io.esp32hil.observe.Clock.wall())) {
            b.log().onLine(line -> lines.add(line.text()));
            try (Socket s = new Socket(b.address().getAddress(), b.address().getPort())) {
                assertThat(s.isConnected()).isTrue();
            }
            assertThat(b.command("close", Map.of("code", 1001, "reason", "bye"))).isEqualTo("/close 1001 bye");
            assertThatThrownBy(() -> b.command("send", Map.of())).as("an action without a command is an error, not a silent no-op")
                    .isInstanceOf(BackendException.class).hasMessageContaining("has no command for 'send'");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains(" accept ")));
        }
        String log = Files.readString(tmp.resolve("backend.log"));
        assertThat(log).containsPattern("\\[ +\\d+\\.\\d{3}\\] \\[server\\] .*listening on ws://0.0.0.0:8080/");
    }

    @Test
    void anImageThatDoesNotExistIsAConfigurationError() {
        assertThatThrownBy(() -> ContainerBackend.check(spec("esp32hil/no-such-image:0", 8080, List.of(), Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.configuration()).isTrue())
                .hasMessageContainingAll("image 'esp32hil/no-such-image:0' is not on this machine and could not be pulled", "ci/docker-setup.sh");
    }

    @Test
    void aContainerThatExitsAtStartShowsItsLastLogLines() {
        assertThatThrownBy(() -> ContainerBackend.start(spec(Docker.PYTHON_IMAGE, 8080, List.of("--port", "not-a-number"), Duration.ofSeconds(30)),
                tmp, io.esp32hil.observe.Clock.wall()))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.configuration()).isFalse())
                .hasMessageContainingAll("its container exited at start", "invalid int value: 'not-a-number'", "backend.log");
    }

    @Test
    void aPortThatNeverOpensIsNamedWithTheTimeWaited() {
        assertThatThrownBy(() -> ContainerBackend.start(spec(Docker.NODE_IMAGE, 8081, List.of(), Duration.ofSeconds(3)), tmp, io.esp32hil.observe.Clock.wall()))
                .isInstanceOf(BackendException.class)
                .hasMessageContainingAll("port 8081 did not open within 3 s", "listening on ws://0.0.0.0:8080/");
    }

    @Test
    void closingStopsTheContainer() {
        ContainerBackend b = ContainerBackend.start(spec(Docker.NODE_IMAGE, 8080, List.of(), Duration.ofSeconds(30)), tmp, io.esp32hil.observe.Clock.wall());
        String host = b.address().getHostString();
        int port = b.address().getPort();
        b.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> new Socket(host, port).close()).isInstanceOf(IOException.class));
    }
}
