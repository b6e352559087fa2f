package io.esp32hil.cli;

/** An option value the command cannot work with; the message names the option and the value (exit 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
