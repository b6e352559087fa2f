package io.esp32hil.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.esp32hil.observe.Clock;
import io.esp32hil.observe.LineLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault proxy (the test server's front door and the proxy in front of a container) before a real TCP echo server, each fault seen from the client's side of a real socket. */
class FaultProxyTest {
    @TempDir
    Path tmp;

    private ServerSocket echo;
    private FaultProxy proxy;
    private LineLog log;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        log = new LineLog(tmp.resolve("proxy.log"), Clock.wall());
        proxy = FaultProxy.start("127.0.0.1", 0, null, new InetSocketAddress("127.0.0.1", echo.getLocalPort()), ProxyLog.lines(log::add));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        log.close();
        echo.close();
    }

    private Socket client() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
    }

    @Test
    void relaysBothWaysAndLogsTheConnection() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).as("the server's end of stream reaches the client").isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("proxy.log")))
                .contains("#1 accept from 127.0.0.1").contains("board closed its side"));
    }

    @Test
    void dropResetsOpenConnectionsAndLaterOnesGetThrough() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "a")).isEqualTo("a");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 1);
            proxy.drop();
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        try (Socket s = client()) {
            assertThat(roundTrip(s, "again")).isEqualTo("again");
        }
    }

    @Test
    void refuseClosesThePortAndListensAgainOnTheSamePort() throws IOException {
        int port = proxy.port();
        proxy.add(Fault.refuse());
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        proxy.remove("refuse");
        assertThat(proxy.port()).isEqualTo(port);
        try (Socket s = client()) {
            assertThat(roundTrip(s, "back")).isEqualTo("back");
        }
    }

    @Test
    void blackholeSwallowsEverythingUntilSwitchedOff() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "open")).isEqualTo("open"); // an open connection goes silent; a new one is never answered
            proxy.add(Fault.blackhole());
            s.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.remove("blackhole");
            s.setSoTimeout(5000);
            assertThat(roundTrip(s, "found")).isEqualTo("found");
        }
    }

    @Test
    void aConnectionMeetsTheFaultsOnWhenItComes() throws IOException {
        proxy.add(Fault.blackhole());
        try (Socket s = client()) {
            s.getOutputStream().write("never".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).as("accepted, never answered").isInstanceOf(SocketTimeoutException.class);
        }
        proxy.clear();
        proxy.add(Fault.rejectHandshake(503));
        try (Socket s = client()) {
            s.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
        }
        proxy.remove("reject");
        try (Socket s = client()) {
            assertThat(roundTrip(s, "through")).isEqualTo("through");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("proxy.log")))
                .contains("fault blackhole on=true").contains("#1 blackhole on=true").contains("rejected status=503").contains("fault reject on=false"));
    }

    @Test
    void latencyDelaysEachWay() throws IOException {
        proxy.add(Fault.latency(Duration.ofMillis(250)));
        try (Socket s = client()) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "slow")).isEqualTo("slow");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("a round trip crosses the proxy twice").isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void bandwidthPacesTheBytes() throws IOException {
        proxy.add(Fault.bandwidth(4000));
        try (Socket s = client()) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "x".repeat(2000))).hasSize(2000);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("2000 bytes at 4000 B/s").isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void cutAfterPassesExactlyThatManyBytesThenCloses() throws IOException {
        try (Socket s = client()) {
            assertThat(roundTrip(s, "12345")).isEqualTo("12345");
            proxy.add(Fault.cutAfter(11)); // from now on: 8 bytes up, then 3 of the echo down
            s.getOutputStream().write("abcdefgh".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
        assertThat(Files.readString(tmp.resolve("proxy.log"))).contains("cut after its byte budget");
    }

    @Test
    void anUnreachableServerResetsTheClientAndSaysWhy() throws IOException {
        // port 1 (tcpmux) listens nowhere; a port just closed here could be taken by another process meanwhile
        proxy.upstream(new InetSocketAddress("127.0.0.1", 1));
        try (Socket s = client()) {
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(tmp.resolve("proxy.log"))).contains("unreachable"));
    }
}
