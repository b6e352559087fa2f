package io.esp32hil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SntpServerTest {
    @Test
    void aClientRequestGetsAServerReplyWithThisMachinesTimeAndItsOwnTimestampEchoed() throws Exception {
        try (SntpServer server = new SntpServer(); DatagramSocket client = new DatagramSocket()) {
            String[] hostPort = server.hostPort().split(":");
            byte[] request = new byte[48];
            request[0] = 0x23; // version 4, mode 3
            byte[] stamp = {1, 2, 3, 4, 5, 6, 7, 8};
            System.arraycopy(stamp, 0, request, 40, 8);
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(request, 48, new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            ByteBuffer b = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
            assertThat(reply.getLength()).isEqualTo(48);
            assertThat(b.get(0) & 0x07).as("mode").isEqualTo(4);
            assertThat((b.get(0) >> 3) & 0x07).as("version").isEqualTo(4);
            assertThat(b.get(1)).as("stratum").isEqualTo((byte) 1);
            assertThat(Arrays.copyOfRange(reply.getData(), 24, 32)).as("originate").isEqualTo(stamp);
            long transmitUnix = (b.getInt(40) & 0xFFFFFFFFL) - 2_208_988_800L;
            assertThat(transmitUnix).isBetween(System.currentTimeMillis() / 1000 - 5, System.currentTimeMillis() / 1000 + 5);
        }
    }
}
