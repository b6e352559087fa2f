package io.esp32hil.engine;

/** How a scenario ended; reports keep these apart. */
public enum Status {
    PASSED, FAILED, TIMED_OUT, SKIPPED, ERROR
}
