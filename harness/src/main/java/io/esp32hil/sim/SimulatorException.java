package io.esp32hil.sim;

/** The simulator could not be started or stopped answering; the message says why in plain words. */
public class SimulatorException extends RuntimeException {
    public SimulatorException(String message) {
        super(message);
    }

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
