package io.esp32hil.device;

/**
 * A board that cannot be reached or used; the message says what to do about it. A configuration
 * fault (a port that does not exist, no Wi-Fi credentials, a bad speed) is the user's to mend; the
 * others are the bench's (no board attached, a port that is busy).
 */
public final class DeviceException extends RuntimeException {
    private final boolean configuration;

    public DeviceException(String message) {
        this(message, null, false);
    }

    public DeviceException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private DeviceException(String message, Throwable cause, boolean configuration) {
        super(message, cause);
        this.configuration = configuration;
    }

    /** A setting the user gave (or left out) is wrong. */
    public static DeviceException misconfigured(String message) {
        return new DeviceException(message, null, true);
    }

    public boolean configuration() {
        return configuration;
    }
}
