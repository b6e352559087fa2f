package io.esp32hil.scenario.steps;

/** A step that did not hold; the message says what was expected and what was seen instead. */
public final class StepFailed extends RuntimeException {
    public StepFailed(String message) {
        super(message);
    }
}
