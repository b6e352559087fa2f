package io.esp32hil.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.Docker;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.console.SerialConsole;
import io.esp32hil.device.Device;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hand-written test against a backend in a container (the README's example): the board talks to
 * the Python test server through the fault proxy, and the test asserts on the server's own log.
 */
@ExtendWith(HilExtension.class)
class ExampleBackendTest {
    private static final Duration T = Duration.ofSeconds(20);

    @BeforeEach
    void docker() {
        Docker.assumeImages();
    }

    private static long opens(ContainerBackend backend) {
        return backend.log().tail(40).stream().filter(l -> l.matches(".*#\\d+ open .*path=/ws.*")).count();
    }

    @Test
    @Backend("python")
    void theBoardReconnectsAfterTheLinkIsResetAndTheServerLogsBoth(Device board, ContainerBackend backend, FaultProxy proxy) {
        SerialConsole console = board.console();
        console.expect("[ws] connected url=ws://127.0.0.1:" + proxy.port() + "/ws", T);
        await().atMost(T).until(() -> opens(backend) == 1);

        proxy.drop();
        console.expect("[ws] closed code=1006", T);
        console.expect("[ws] connected", T);

        await().atMost(T).until(() -> opens(backend) == 2);
        assertThat(backend.log().tail(40)).anyMatch(l -> l.matches(".*#\\d+ lost .*"));
    }
}
