package io.esp32hil.console;

/** A wait on a serial console ran out of time; the message says what was awaited and what was seen. */
public class ConsoleTimeoutException extends RuntimeException {
    public ConsoleTimeoutException(String message) {
        super(message);
    }
}
