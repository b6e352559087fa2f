package io.esp32hil.server;

/** A wait on the test server's log ran out; the message names what was awaited and the last events. */
public final class ServerTimeoutException extends RuntimeException {
    public ServerTimeoutException(String message) {
        super(message);
    }
}
