package io.esp32hil.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Keeps a port while nothing listens on it (a server stopped, a proxy refusing): a socket bound to
 * it that does not listen, so a connection is refused (a reset) and no other program on the
 * machine is given the port meanwhile, to be found listening there before the restart.
 */
public final class PortHold {
    private Socket placeholder;

    /** Takes the port; where it cannot, refusing still works, the port is only not reserved. */
    public synchronized void hold(InetAddress address, int port) {
        release();
        try {
            Socket s = new Socket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            placeholder = s;
        } catch (IOException e) {
            placeholder = null;
        }
    }

    /** Gives the port back, so that a listener can bind it again. */
    public synchronized void release() {
        Socket s = placeholder;
        placeholder = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
