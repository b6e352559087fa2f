package io.esp32hil.device;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A serial port that survives its device going away and coming back: a board with native USB
 * re-enumerates when it resets, so its port vanishes for a moment. Reads and writes that fail are
 * retried on the port opened again by the same path, within a grace period; the console above
 * never notices.
 */
final class ReopeningPort {
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final String path;
    private final int baud;
    private final Consumer<String> notice;
    private volatile SerialPort port;
    private volatile boolean closed;

    ReopeningPort(SerialPort opened, String path, int baud, Consumer<String> notice) {
        this.port = opened;
        this.path = path;
        this.baud = baud;
        this.notice = notice;
    }

    SerialPort current() {
        return port;
    }

    static SerialPort configure(SerialPort p, int baud) {
        // Both lines de-asserted before opening: equal states leave EN and IO0 alone, so opening
        // the port neither resets the board nor puts it into the bootloader.
        p.clearDTR();
        p.clearRTS();
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        return p;
    }

    /** Waits for the device to come back and opens it again; false when it did not within the grace period. */
    private synchronized boolean reopen(SerialPort failed) {
        if (closed) {
            return false;
        }
        if (port != failed) {
            return true; // another thread already reopened it
        }
        failed.closePort();
        notice.accept("serial port " + path + " went away; waiting for it to come back");
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() < deadline && !closed) {
            if (Files.exists(Path.of(path))) {
                SerialPort p = configure(SerialPort.getCommPort(path), baud);
                if (p.openPort()) {
                    port = p;
                    notice.accept("serial port " + path + " is back; reopened");
                    return true;
                }
            }
            try {
                Thread.sleep(100); // polling the device node: the OS sends no event we can wait on here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                while ((n = read(one, 0, 1)) == 0) {
                    // a read timeout: keep waiting
                }
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (true) {
                    SerialPort p = port;
                    int n;
                    try {
                        n = p.getInputStreamWithSuppressedTimeoutExceptions().read(b, off, len);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n >= 0) {
                        return n;
                    }
                    if (!reopen(p)) {
                        return -1;
                    }
                }
            }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SerialPort p = port;
                try {
                    p.getOutputStream().write(b, off, len);
                } catch (IOException e) {
                    if (!reopen(p)) {
                        throw e;
                    }
                    port.getOutputStream().write(b, off, len);
                }
            }
        };
    }

    void close() {
        closed = true;
        SerialPort p = port;
        p.clearRTS(); // released first: some drivers drop DTR before RTS on close, which resets the board
        p.closePort();
    }
}
