package io.esp32hil.backend;

/**
 * A backend that could not be had: Docker missing, an image that does not exist, a container that
 * exits at start or never opens its port. {@code configuration} is true when the user's input is at
 * fault (an image name), false when the infrastructure is.
 */
public final class BackendException extends RuntimeException {
    private final boolean configuration;

    public BackendException(String message, boolean configuration) {
        super(message);
        this.configuration = configuration;
    }

    public boolean configuration() {
        return configuration;
    }
}
