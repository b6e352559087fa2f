package io.esp32hil.net;

/**
 * Follows the frames a board sends (RFC 6455 framing, not their content) to tell when its close frame
 * has arrived whole: the moment a server that completes the close handshake may end the connection.
 */
final class CloseFrameWatch {
    private final byte[] header = new byte[14];
    private int have;
    private long payloadLeft;
    private boolean inCloseFrame;
    private volatile boolean closeSeen;

    boolean closeSeen() {
        return closeSeen;
    }

    void accept(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !closeSeen) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= n;
                i += n;
            } else {
                header[have++] = buf[i++];
                int need = headerLength();
                if (have < need) {
                    continue;
                }
                inCloseFrame = (header[0] & 0x0f) == 0x8;
                payloadLeft = payloadLength();
                have = 0;
            }
            if (payloadLeft == 0 && have == 0 && inCloseFrame) {
                closeSeen = true;
            }
        }
    }

    /** Bytes of the header so far needed: 2, then the extended length, then the mask key. */
    private int headerLength() {
        if (have < 2) {
            return 2;
        }
        int len7 = header[1] & 0x7f;
        int ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + ext + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private long payloadLength() {
        int len7 = header[1] & 0x7f;
        if (len7 < 126) {
            return len7;
        }
        long n = 0;
        for (int k = 0; k < (len7 == 126 ? 2 : 8); k++) {
            n = (n << 8) | (header[2 + k] & 0xff);
        }
        return n;
    }
}
