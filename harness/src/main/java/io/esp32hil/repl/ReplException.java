package io.esp32hil.repl;

/** The board's REPL did not behave as the raw-REPL protocol says (or did not answer at all). */
public class ReplException extends RuntimeException {
    public ReplException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReplException(String message) {
        super(message);
    }
}
