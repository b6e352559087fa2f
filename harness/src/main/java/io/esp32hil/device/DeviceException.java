package io.esp32hil.device;

/** A board that cannot be reached or used; the message says what to do about it. */
public final class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
