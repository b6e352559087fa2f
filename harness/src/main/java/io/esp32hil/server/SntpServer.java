package io.esp32hil.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * An SNTP server (RFC 4330) on a loopback UDP port, answering with this machine's clock: a board
 * checking certificates against a CA file sets its clock from it first (its clock reads 2000-01-01
 * after power-on), as it would from a network's NTP server.
 */
public final class SntpServer implements AutoCloseable {
    /** Seconds from 1900-01-01, NTP's epoch, to 1970-01-01. */
    private static final long NTP_TO_UNIX = 2_208_988_800L;

    private final DatagramSocket socket;
    private final Thread thread;

    public SntpServer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot open the SNTP server's UDP port", e);
        }
        thread = new Thread(this::serve, "sntp-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** "127.0.0.1:PORT", as a board's NTP_HOST. */
    public String hostPort() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private void serve() {
        byte[] in = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket request = new DatagramPacket(in, in.length);
            try {
                socket.receive(request);
                if (request.getLength() < 48 || (in[0] & 0x07) != 3) {
                    continue; // not a client request
                }
                byte[] out = answer(in, System.currentTimeMillis());
                socket.send(new DatagramPacket(out, out.length, request.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** A server reply (mode 4, stratum 1) to request, stamped with unixMillis. */
    static byte[] answer(byte[] request, long unixMillis) {
        long seconds = unixMillis / 1000 + NTP_TO_UNIX;
        long fraction = (unixMillis % 1000) * (1L << 32) / 1000;
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put((byte) ((request[0] & 0x38) | 4)); // the client's version, mode 4
        b.put((byte) 1).put((byte) 6).put((byte) -20); // stratum 1, poll, precision
        b.putInt(0).putInt(0).put("LOCL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) { // reference, receive and transmit timestamps
            b.putInt((int) seconds).putInt((int) fraction);
            if (i == 0) {
                b.put(request, 40, 8); // originate: the client's transmit timestamp
            }
        }
        return b.array();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
